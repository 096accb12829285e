// Planning turns what the user asked for and what echo3D has into a list of files to fetch, each
// with the cheapest correct way to get it. Pure: no I/O.

import path from 'node:path'
import { extensionOf, kindOfFileName, type RequestedFormat } from '../formats.js'
import type { EntrySelection, Failure, Plan, PlannedAsset } from '../model.js'
import type { EntryInfo, StoredFile } from './echo3d/metadata.js'
import {
  baseNameOf,
  renderFileName,
  resolveInside,
  sameFileKey,
  sanitizeSegment,
  workspaceRelative
} from './naming.js'

/** An OBJ's material and textures: more than a model has, fewer than a hostile listing could. */
const MAX_COMPANIONS = 256

export interface PlanRequest {
  entries: EntrySelection[]
  /** Entries the `tags` input selected; they get the default formats. */
  taggedEntries: EntryInfo[]
  /** Every entry the metadata queries returned, by ID. */
  known: ReadonlyMap<string, EntryInfo>
  files: string[]
  defaultFormats: RequestedFormat[]
  convertMissing: boolean
  fileNameTemplate: string
  /** Absolute. */
  destination: string
  /** Absolute; the destination lies inside it. */
  workspace: string
  /** A path, relative to the destination, that no asset may have: the lockfile's. */
  reserved?: string
}

export function planAssets(request: PlanRequest): Plan {
  const assets: PlannedAsset[] = []
  const failures: Failure[] = []
  const named = new Set(request.entries.map(selection => selection.id))
  const selections: EntrySelection[] = [
    ...request.entries,
    ...request.taggedEntries
      .filter(entry => !named.has(entry.id))
      .map(entry => ({ id: entry.id, formats: [] }))
  ]

  for (const selection of selections) {
    const entry = request.known.get(selection.id)
    if (!entry) {
      failures.push({
        label: `entry ${selection.id}`,
        message:
          'not found in the collection. Check the ID, and that the API key (`api-key`; ECHO3D_API_KEY for the command-line program) is the key of the collection that holds it'
      })
      continue
    }
    const formats = selection.formats.length > 0 ? selection.formats : request.defaultFormats
    for (const format of formats) {
      const planned = planEntryFormat(entry, format, request, selection)
      if ('message' in planned) failures.push(planned)
      else assets.push(...planned)
    }
  }
  for (const storageId of request.files) assets.push(planStorageFile(storageId, request))

  const placed = withoutCollisions(assets, request.reserved)
  return { assets: placed.assets, failures: [...failures, ...placed.failures] }
}

function planEntryFormat(
  entry: EntryInfo,
  requested: RequestedFormat,
  request: PlanRequest,
  selection: EntrySelection
): PlannedAsset[] | Failure {
  const fileNameTemplate = selection.fileName ?? request.fileNameTemplate
  const format = requested === 'original' ? entry.originalFormat : requested
  const label = `entry ${entry.id} (${requested})`
  const stored = requested === 'original' ? entry.original : format && entry.derived[format]
  const ext = format ?? extensionOf(entry.original.fileName)
  const name = baseNameOf(entry.original.fileName, entry.id)
  const fileName = renderFileName(fileNameTemplate, {
    name,
    entry: entry.id,
    format: requested === 'original' ? 'original' : ext,
    ext
  })
  const relativePath = resolveInside(request.destination, fileName)
  const base = {
    label,
    entryId: entry.id,
    format: ext || 'original',
    expect: format,
    ...placed(relativePath, request),
    approximateBytes: entry.uploadBytes,
    ...(selection.optimize === undefined ? {} : { optimize: selection.optimize })
  }

  if (stored) {
    const asset: PlannedAsset = {
      ...base,
      method: { kind: 'storage', storageId: stored.storageId }
    }
    const isOriginal = stored.storageId === entry.original.storageId
    if (!isOriginal) return [asset]
    if (entry.companions.length > MAX_COMPANIONS) {
      return {
        label,
        message: `echo3D lists ${entry.companions.length} material and texture files for it, more than the ${MAX_COMPANIONS} the action takes for one model`
      }
    }
    return [asset, ...planCompanions(entry, relativePath, request)]
  }
  if (!format) {
    return { label, message: 'echo3D lists no original file for this entry' }
  }
  if (!request.convertMissing) {
    return {
      label,
      message: `echo3D has no ${format} file for this entry yet. Set \`convert-missing: true\` (--convert-missing) to have echo3D convert it (conversions count against the account's storage and bandwidth)`
    }
  }
  return [{ ...base, method: { kind: 'convert', entryId: entry.id, format } }]
}

/** An OBJ needs its material and textures beside it, under the names it refers to them by. */
function planCompanions(entry: EntryInfo, assetPath: string, request: PlanRequest): PlannedAsset[] {
  const folder = path.posix.dirname(assetPath)
  return entry.companions.map((companion: StoredFile) => {
    const fileName = sanitizeSegment(companion.fileName, companion.storageId)
    const relativeName = folder === '.' ? fileName : `${folder}/${fileName}`
    return {
      label: `entry ${entry.id} (companion '${fileName}')`,
      entryId: entry.id,
      format: extensionOf(fileName) || 'file',
      expect: kindOfFileName(fileName),
      method: { kind: 'storage', storageId: companion.storageId },
      ...placed(resolveInside(request.destination, relativeName), request)
    }
  })
}

function planStorageFile(storageId: string, request: PlanRequest): PlannedAsset {
  return {
    label: `file ${storageId}`,
    entryId: null,
    format: extensionOf(storageId) || 'file',
    expect: kindOfFileName(storageId),
    method: { kind: 'storage', storageId },
    ...placed(resolveInside(request.destination, storageId), request)
  }
}

/** Where an asset goes, relative to the destination and as the workspace names it. */
function placed(
  relativePath: string,
  request: PlanRequest
): Pick<PlannedAsset, 'relativePath' | 'path'> {
  return {
    relativePath,
    path: workspaceRelative(request.workspace, path.join(request.destination, relativePath))
  }
}

/**
 * The order to start transfers in: conversions first, as echo3D may take minutes over them, then
 * the largest files, so that a large model does not start last, behind many small ones. Ties
 * keep the plan's order.
 */
export function transferOrder(assets: readonly PlannedAsset[]): PlannedAsset[] {
  return [...assets].sort(startsEarlier)
}

function startsEarlier(a: PlannedAsset, b: PlannedAsset): number {
  const conversionFirst = Number(isConversion(b)) - Number(isConversion(a))
  if (conversionFirst !== 0) return conversionFirst
  return (b.approximateBytes ?? 0) - (a.approximateBytes ?? 0)
}

function isConversion(asset: PlannedAsset): boolean {
  return asset.method.kind === 'convert'
}

function sourceKey(asset: PlannedAsset): string {
  return asset.method.kind === 'storage'
    ? `storage:${asset.method.storageId}`
    : `convert:${asset.method.entryId}:${asset.method.format}`
}

/**
 * The same file at the same path is planned once. Two different files at one path would overwrite
 * each other: the later one fails, with the fix, and the rest go on, so that one name in the
 * collection cannot stop the whole refresh. Paths are compared without case, as macOS and Windows
 * do; the lockfile's path is taken.
 */
function withoutCollisions(
  assets: PlannedAsset[],
  reserved: string | undefined
): { assets: PlannedAsset[]; failures: Failure[] } {
  const byPath = new Map<string, PlannedAsset>()
  const failures: Failure[] = []
  for (const asset of assets) {
    const key = sameFileKey(asset.relativePath)
    const existing = byPath.get(key)
    if (reserved !== undefined && key === sameFileKey(reserved)) {
      failures.push({
        label: asset.label,
        message: `its path, '${asset.relativePath}', is the lockfile's. ${UNIQUE_NAMES}`
      })
    } else if (!existing) {
      byPath.set(key, asset)
    } else if (sourceKey(existing) !== sourceKey(asset)) {
      failures.push({
        label: asset.label,
        message: `it would be written to '${asset.relativePath}', where ${existing.label} goes. ${UNIQUE_NAMES}`
      })
    }
  }
  return { assets: [...byPath.values()], failures }
}

const UNIQUE_NAMES =
  'Make the names unique with a placeholder in `file-name`, such as {entry}/{name}.{ext} or {name}-{entry}.{ext}'
