// What a pulled 3D model holds, read before the file is put in place: glTF and GLB from their JSON
// and image headers (and checked by the Khronos glTF Validator), STL and OBJ by counting, USDZ from
// its zip directory. Each is read from the verified temporary file, in bounded pieces, so memory
// stays flat whatever the file's size, and within what is left of the asset's `timeout`. A file
// that is not what its format says fails its asset with a ModelError.

import { imageSize } from 'image-size'
import { ModelError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import { formatBytes } from '../../quantities.js'
import { TEXTURE_FORMAT_NAME, type ModelStats, type Validation } from '../../model.js'
import type { WorkspaceFolders } from '../workspace.js'
import { fileSource, memorySource, type ByteSource } from './byte-source.js'
import { BIN_CHUNK, GLB_MAGIC, JSON_CHUNK, MAX_JSON_BYTES } from './container.js'
import type { Deadline } from './deadline.js'
import { gltfStats, isObject, type ImageInfo, type ImageReader } from './gltf-stats.js'
import { objStats, stlStats } from './mesh-counts.js'
import { usdzStats } from './usdz.js'
import type { InspectionTally } from './tally.js'
import { isValidated, NOT_VALIDATED, validateGltf } from './validate.js'

export interface ModelInspection {
  model?: ModelStats
  validation?: Validation
}

export type { InspectionTally } from './tally.js'

type ModelKind = 'glb' | 'gltf' | 'stl' | 'obj' | 'usdz'

/** Enough of an image for any header, JPEG's markers before its size included. */
const IMAGE_HEAD_BYTES = 128 * 1024
const MAX_IMAGE_SIDE = 65_536

/**
 * The statistics of a model file, by the kind its bytes were checked as, and for glTF and GLB what
 * the validator found; nothing for other kinds. Read from the file in bounded pieces, until
 * `deadline`.
 */
export async function inspectModel(
  folders: WorkspaceFolders,
  filePath: string,
  kind: FileKind | undefined,
  deadline: Deadline,
  tally?: InspectionTally
): Promise<ModelInspection> {
  if (!isModelKind(kind)) return {}
  const file = await folders.openFile(filePath)
  if (!file) throw new ModelError('the file vanished before it could be read')
  try {
    if (kind === 'usdz') {
      const usdz = () =>
        usdzStats(file, { readImage: imageInfo, headBytes: IMAGE_HEAD_BYTES, deadline })
      return { model: await timed(usdz, tally) }
    }
    return await inspectSource(await fileSource(file), kind, deadline, tally)
  } finally {
    await file.close()
  }
}

function isModelKind(kind: FileKind | undefined): kind is ModelKind {
  return kind === 'glb' || kind === 'gltf' || kind === 'stl' || kind === 'obj' || kind === 'usdz'
}

async function inspectSource(
  source: ByteSource,
  kind: Exclude<ModelKind, 'usdz'>,
  deadline: Deadline,
  tally?: InspectionTally
): Promise<ModelInspection> {
  if (kind !== 'glb' && kind !== 'gltf')
    return { model: await timed(() => modelStats(source, kind, deadline), tally) }
  if (!isValidated(source.size)) {
    const model = await timed(() => modelStats(source, kind, deadline), tally)
    return { model, validation: NOT_VALIDATED }
  }
  // The validator reads the whole file: it is read once, its statistics taken from those bytes.
  const bytes = await source.whole()
  const model = await timed(() => modelStats(memorySource(bytes), kind, deadline), tally)
  return { model, validation: await validateGltf(bytes, kind, () => source.whole(), tally) }
}

/** Counts a model whose statistics were read, and the time reading them took. */
async function timed(
  read: () => Promise<ModelStats | undefined>,
  tally?: InspectionTally
): Promise<ModelStats | undefined> {
  const startedAt = performance.now()
  const model = await read()
  if (tally && model) {
    tally.models++
    tally.statisticsMs += performance.now() - startedAt
  }
  return model
}

function modelStats(
  source: ByteSource,
  kind: Exclude<ModelKind, 'usdz'>,
  deadline: Deadline
): Promise<ModelStats | undefined> {
  if (kind === 'stl') return stlStats(source, deadline)
  if (kind === 'obj') return objStats(source, deadline)
  return kind === 'glb' ? glbStats(source, deadline) : gltfTextStats(source, deadline)
}

async function glbStats(source: ByteSource, deadline: Deadline): Promise<ModelStats | undefined> {
  const { size } = source
  const header = await source.read(0, 20)
  if (header.length < 20 || header.readUInt32LE(0) !== GLB_MAGIC) {
    throw new ModelError('it has no GLB header')
  }
  if (header.readUInt32LE(4) !== 2) throw new ModelError('it is not a version 2 GLB')
  const jsonBytes = header.readUInt32LE(12)
  if (header.readUInt32LE(16) !== JSON_CHUNK || 20 + jsonBytes > size) {
    throw new ModelError('its first chunk is not a JSON chunk that fits in the file')
  }
  if (jsonBytes > MAX_JSON_BYTES) return undefined
  const document = parseJson(await source.read(20, jsonBytes), 'its JSON chunk')
  const bin = await binChunk(source, 20 + jsonBytes)
  return gltfStats(document, embeddedImages(source, document, bin), deadline)
}

/** Where the GLB's binary chunk lies in the file, if it has one. */
async function binChunk(
  source: ByteSource,
  offset: number
): Promise<{ start: number; bytes: number } | undefined> {
  const { size } = source
  if (offset + 8 > size) return undefined
  const header = await source.read(offset, 8)
  const bytes = header.readUInt32LE(0)
  if (header.readUInt32LE(4) !== BIN_CHUNK) return undefined
  if (offset + 8 + bytes > size) throw new ModelError('its binary chunk is longer than the file')
  return { start: offset + 8, bytes }
}

async function gltfTextStats(
  source: ByteSource,
  deadline: Deadline
): Promise<ModelStats | undefined> {
  if (source.size > MAX_JSON_BYTES) return undefined
  const document = parseJson(await source.read(0, source.size), 'its JSON')
  return gltfStats(document, embeddedImages(source, document), deadline)
}

/** Images in the GLB's binary chunk or in data URIs; others (external files) have no size. */
function embeddedImages(
  source: ByteSource,
  document: unknown,
  bin?: { start: number; bytes: number }
): ImageReader {
  const root = isObject(document) ? document : {}
  return async (index, image) => {
    if (typeof image.uri === 'string') return dataUriImage(index, image.uri)
    if (image.bufferView === undefined) return { bytes: 0 }
    const view = listItem(root.bufferViews, image.bufferView, `image ${index}'s buffer view`)
    const buffer = listItem(root.buffers, view.buffer, `image ${index}'s buffer`)
    const viewBytes = view.byteLength
    const viewOffset = view.byteOffset ?? 0
    if (!isCount(viewBytes) || !isCount(viewOffset)) {
      throw new ModelError(`image ${index}'s buffer view has no valid length or offset`)
    }
    if (typeof buffer.uri === 'string' || !bin) return { bytes: viewBytes }
    if (viewOffset + viewBytes > bin.bytes) {
      throw new ModelError(`image ${index} lies outside the GLB's binary chunk`)
    }
    const head = await source.read(bin.start + viewOffset, Math.min(viewBytes, IMAGE_HEAD_BYTES))
    return imageInfo(index, head, viewBytes)
  }
}

function dataUriImage(index: number, uri: string): ImageInfo {
  const match = /^data:[^,]*;base64,/.exec(uri)
  if (!match) return { bytes: 0 }
  const base64Length = uri.length - match[0].length
  const bytes = Math.floor((base64Length * 3) / 4)
  const headChars = Math.ceil(IMAGE_HEAD_BYTES / 3) * 4
  const head = Buffer.from(uri.slice(match[0].length, match[0].length + headChars), 'base64')
  return imageInfo(index, head, bytes)
}

function imageInfo(index: number, head: Buffer, bytes: number): ImageInfo {
  let dimensions: ReturnType<typeof imageSize>
  try {
    dimensions = imageSize(head)
  } catch {
    throw new ModelError(`image ${index} has no PNG, JPEG, WebP or KTX2 header that can be read`)
  }
  const { width, height } = dimensions
  if (!(width > 0 && height > 0 && width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE)) {
    throw new ModelError(`image ${index}'s header claims ${width} × ${height} pixels`)
  }
  return { width, height, bytes, ...formatOf(dimensions.type) }
}

/** The format's usual name (the reader says `jpg` for JPEG), when it is a plain word. */
function formatOf(type: string | undefined): Pick<ImageInfo, 'format'> {
  const format = type === 'jpg' ? 'jpeg' : type
  return format && TEXTURE_FORMAT_NAME.test(format) ? { format } : {}
}

function listItem(list: unknown, index: unknown, what: string): Record<string, unknown> {
  const item =
    Array.isArray(list) && Number.isSafeInteger(index)
      ? (list[index as number] as unknown)
      : undefined
  if (!isObject(item)) throw new ModelError(`${what} does not exist`)
  return item
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch {
    throw new ModelError(`${what} is not valid JSON (${formatBytes(bytes.length)})`)
  }
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}
