// What the action reads of echo3D's `/query` answer (docs/echo3d-api.md). The answer is untrusted:
// every field is checked for its type, and entries that are not files are skipped.

import { ProtocolError } from '../../errors.js'
import { CONVERTIBLE_FORMATS, formatOfFileName, type AssetFormat } from '../../formats.js'
import type { CatalogEntry } from '../../model.js'

export interface StoredFile {
  storageId: string
  fileName: string
}

export interface EntryInfo {
  id: string
  /** The file as uploaded. */
  original: StoredFile
  /** The format of the upload, when its extension names a known one. */
  originalFormat?: AssetFormat
  /** Files echo3D derived from the upload, by format. */
  derived: Partial<Record<AssetFormat, StoredFile>>
  /** An OBJ's material and textures, which it needs beside it. */
  companions: StoredFile[]
  /** The upload's size in bytes (`fileSize`), when echo3D gives it. */
  uploadBytes?: number
  tags: string[]
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** Parses the `/query` envelope. Entries whose hologram is not a file are skipped. */
export function parseQueryResponse(body: unknown): EntryInfo[] {
  if (!isObject(body) || !isObject(body.db)) {
    throw new ProtocolError(
      'echo3D answered the metadata query without the expected `db` object; check `api-url`'
    )
  }
  const entries: EntryInfo[] = []
  for (const [key, value] of Object.entries(body.db)) {
    if (!isObject(value)) continue
    const entry = parseEntry(key, value)
    if (entry) entries.push(entry)
  }
  return entries
}

function parseEntry(key: string, raw: JsonObject): EntryInfo | undefined {
  const hologram = isObject(raw.hologram) ? raw.hologram : {}
  const additional = isObject(raw.additionalData) ? raw.additionalData : {}
  const storageId = stringField(hologram, 'storageID')
  if (!storageId) return undefined
  const id = stringField(raw, 'id') ?? key
  const original = { storageId, fileName: stringField(hologram, 'filename') ?? id }
  const originalFormat = formatOfFileName(original.fileName)

  const derived: Partial<Record<AssetFormat, StoredFile>> = {}
  for (const format of CONVERTIBLE_FORMATS) {
    const derivedId = stringField(additional, `${format}HologramStorageID`)
    if (derivedId) {
      derived[format] = {
        storageId: derivedId,
        fileName: stringField(additional, `${format}HologramStorageFilename`) ?? `${id}.${format}`
      }
    }
  }
  // A GLB upload may have no separate GLB: the original is the GLB.
  if (originalFormat && !derived[originalFormat]) derived[originalFormat] = original

  const fileSize = stringField(additional, 'fileSize') ?? ''
  const tags = (stringField(additional, 'tags') ?? '').split(',').map(tag => tag.trim())
  return {
    id,
    original,
    originalFormat,
    derived,
    companions: parseCompanions(hologram),
    uploadBytes: /^\d+$/.test(fileSize) ? Number(fileSize) : undefined,
    tags: tags.filter(Boolean)
  }
}

function parseCompanions(hologram: JsonObject): StoredFile[] {
  const companions: StoredFile[] = []
  const material = stringField(hologram, 'materialStorageID')
  if (material) {
    companions.push({
      storageId: material,
      fileName: stringField(hologram, 'materialFilename') ?? material
    })
  }
  const names = Array.isArray(hologram.textureFilenames) ? hologram.textureFilenames : []
  const ids = Array.isArray(hologram.textureStorageIDs) ? hologram.textureStorageIDs : []
  ids.forEach((textureId, index) => {
    if (typeof textureId !== 'string' || !textureId) return
    const name: unknown = names[index]
    companions.push({
      storageId: textureId,
      fileName: typeof name === 'string' && name ? name : textureId
    })
  })
  return companions
}

/** The collection as a listing shows it, sorted by name, then ID, so that it reads the same each time. */
export function catalogEntries(entries: readonly EntryInfo[]): CatalogEntry[] {
  return entries
    .map(entry => ({
      id: entry.id,
      name: entry.original.fileName,
      tags: entry.tags,
      formats: CONVERTIBLE_FORMATS.filter(format => entry.derived[format] !== undefined),
      uploadBytes: entry.uploadBytes
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
