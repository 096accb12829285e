// What a model may ask the browser for before it is drawn: the page decodes whatever the file
// declares, in memory no limit of ours bounds (the GPU process's, the decoders'), so a file of a
// few kilobytes could make it take gigabytes. The declarations are read from the JSON and the
// images' headers, and a model that asks for more than a picture needs is not drawn.

import { imageSize } from 'image-size'
import { TYPE_COMPONENTS } from '../engine/models/gltf-stats.js'
import { PreviewError } from '../errors.js'

/** Values the reader fills with zeros, or that meshopt's streams decode into, together. */
const MAX_DECLARED_VALUES = 32 * 1024 * 1024
/** One texture's pixels, and a model's together: decoded, 4 bytes each. */
const MAX_IMAGE_PIXELS = 8192 * 8192
const MAX_MODEL_PIXELS = 4 * MAX_IMAGE_PIXELS
/** The JSON of a GLB or glTF read here; the pull's own checks hold larger ones to 32 MiB. */
const MAX_JSON_BYTES = 128 * 1024 * 1024

type Json = Record<string, unknown>

interface Declared {
  json: Json
  /** A GLB's binary chunk, where its embedded images are. */
  binary?: Buffer
}

/** Refuses, with a PreviewError that says what, a model that asks for more than it may. */
export function checkDrawable(bytes: Buffer): void {
  const { json, binary } = declared(bytes)
  checkSelfContained(json)
  const values = zeroFilledValues(json) + meshoptValues(json)
  if (values > MAX_DECLARED_VALUES) {
    throw new PreviewError(
      `it declares ${values.toLocaleString('en-US')} values without data in the file, more than the ${MAX_DECLARED_VALUES.toLocaleString('en-US')} a preview decodes`
    )
  }
  const pixels = imagePixels(json, binary)
  if (pixels > MAX_MODEL_PIXELS) {
    throw new PreviewError(
      `its textures declare ${pixels.toLocaleString('en-US')} pixels, more than the ${MAX_MODEL_PIXELS.toLocaleString('en-US')} a preview decodes`
    )
  }
}

/** Textures the page cannot show: it would draw the model without them, and the picture lie. */
const UNDRAWN_TEXTURES: Record<string, string> = {
  KHR_texture_basisu: 'KTX2'
}

/**
 * A picture without the textures is not the model: one that names files beside it (which the page
 * never loads) or uses textures the page cannot decode is not drawn, and says why.
 */
function checkSelfContained(json: Json): void {
  const external = [...list(json.buffers), ...list(json.images)].find(
    item => typeof item.uri === 'string' && !item.uri.startsWith('data:')
  )
  if (external) {
    throw new PreviewError(
      'it names files beside it (buffers or textures), which a preview does not load: drawn without them, it would not be the model'
    )
  }
  const used = Array.isArray(json.extensionsUsed) ? json.extensionsUsed : []
  const undrawn = used.find(
    (name): name is string => typeof name === 'string' && name in UNDRAWN_TEXTURES
  )
  if (undrawn) {
    throw new PreviewError(
      `its ${UNDRAWN_TEXTURES[undrawn]} textures (${undrawn}) are not decoded by the preview: drawn without them, it would not be the model`
    )
  }
}

function declared(bytes: Buffer): Declared {
  const isGlb = bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'glTF'
  const { text, binary } = isGlb ? glbChunks(bytes) : { text: bytes, binary: undefined }
  if (text.length > MAX_JSON_BYTES)
    throw new PreviewError('its JSON is larger than a preview reads')
  let json: unknown
  try {
    json = JSON.parse(text.toString('utf8'))
  } catch {
    throw new PreviewError('its JSON cannot be read')
  }
  if (typeof json !== 'object' || json === null) throw new PreviewError('its JSON is not a glTF')
  return { json: json as Json, binary }
}

const JSON_CHUNK = 0x4e4f534a
const BINARY_CHUNK = 0x004e4942

/**
 * A GLB's JSON and binary chunks, or a PreviewError: the loader takes the last chunk of each
 * kind, so a file of other chunks than one JSON and at most one binary chunk, or whose header
 * gives another length, could show it other declarations than the ones checked here.
 */
function glbChunks(bytes: Buffer): { text: Buffer; binary?: Buffer } {
  if (bytes.readUInt32LE(8) !== bytes.length) {
    throw new PreviewError('its GLB header gives another length than the file has')
  }
  const chunks: { type: number; data: Buffer }[] = []
  for (let at = 12; at < bytes.length;) {
    const start = at + 8
    const end = start + (start <= bytes.length ? bytes.readUInt32LE(at) : 0)
    if (start > bytes.length || end > bytes.length) {
      throw new PreviewError('its GLB chunks run past the end of the file')
    }
    chunks.push({ type: bytes.readUInt32LE(at + 4), data: bytes.subarray(start, end) })
    at = end
  }
  const [json, binary, ...more] = chunks
  if (json?.type !== JSON_CHUNK || (binary && binary.type !== BINARY_CHUNK) || more.length > 0) {
    throw new PreviewError('its GLB holds other chunks than one JSON and one binary chunk')
  }
  return { text: json.data, ...(binary ? { binary: binary.data } : {}) }
}

function list(value: unknown): Json[] {
  const items: unknown[] = Array.isArray(value) ? value : []
  return items.filter((item): item is Json => typeof item === 'object' && item !== null)
}

function count(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new PreviewError('an accessor or buffer view declares no valid count')
  }
  return value as number
}

/** Accessors without a buffer view, which the loader fills with zeros or Draco decodes into. */
function zeroFilledValues(json: Json): number {
  return list(json.accessors)
    .filter(accessor => accessor.bufferView === undefined)
    .reduce(
      (sum, accessor) =>
        sum + count(accessor.count) * (TYPE_COMPONENTS[String(accessor.type)] ?? 16),
      0
    )
}

/** What EXT_meshopt_compression's buffer views decode into, in 4-byte values. */
function meshoptValues(json: Json): number {
  return list(json.bufferViews).reduce((sum, view) => {
    const meshopt = (view.extensions as Json | undefined)?.EXT_meshopt_compression as
      Json | undefined
    if (!meshopt) return sum
    return sum + (count(meshopt.count) * count(meshopt.byteStride)) / 4
  }, 0)
}

/**
 * The pixels the model's embedded images declare, read from their headers, wherever the bytes are:
 * a data URI, or a buffer view of the GLB's binary chunk or of a buffer in a data URI. An image
 * whose size cannot be read is not drawn: the browser would decode it all the same.
 */
function imagePixels(json: Json, binary: Buffer | undefined): number {
  const buffers = new BufferBytes(json, binary)
  return list(json.images).reduce((sum, image, index) => {
    const bytes = imageBytes(image, json.bufferViews, buffers)
    if (!bytes) return sum
    let size: { width?: number; height?: number }
    try {
      size = imageSize(bytes)
    } catch {
      throw new PreviewError(`the size of image ${index} cannot be read from its header`)
    }
    const pixels = (size.width ?? 0) * (size.height ?? 0)
    if (pixels > MAX_IMAGE_PIXELS) {
      throw new PreviewError(
        `a texture declares ${size.width} × ${size.height} pixels, more than a preview decodes`
      )
    }
    return sum + pixels
  }, 0)
}

/**
 * An image's bytes where the loader takes them: its buffer view's first, else its data URI's;
 * none for an image that has neither.
 */
function imageBytes(image: Json, views: unknown, buffers: BufferBytes): Buffer | undefined {
  if (image.bufferView === undefined) {
    return typeof image.uri === 'string' ? dataUriBytes(image.uri) : undefined
  }
  const view = entry(views, image.bufferView)
  if (!view) throw new PreviewError('an image names a buffer view that is not there')
  // The loader would decode the stream, and the header read here would not be the image's.
  if ((view.extensions as Json | undefined)?.EXT_meshopt_compression !== undefined) {
    throw new PreviewError('an image lies in a meshopt-compressed buffer view')
  }
  const bytes = buffers.of(view.buffer)
  const start = view.byteOffset === undefined ? 0 : count(view.byteOffset)
  return bytes.subarray(start, start + count(view.byteLength))
}

/** The bytes of each buffer: the GLB's binary chunk, or its data URI's, decoded once. */
class BufferBytes {
  private readonly decoded = new Map<number, Buffer>()

  constructor(
    private readonly json: Json,
    private readonly binary: Buffer | undefined
  ) {}

  of(index: unknown): Buffer {
    const buffer = entry(this.json.buffers, index)
    if (!buffer) throw new PreviewError('a buffer view names a buffer that is not there')
    if (typeof buffer.uri !== 'string') return this.binary ?? Buffer.alloc(0)
    const known = this.decoded.get(index as number)
    if (known) return known
    const bytes = dataUriBytes(buffer.uri)
    this.decoded.set(index as number, bytes)
    return bytes
  }
}

/**
 * checkSelfContained has refused any URI but a data URI. Only base64 is read, strictly, as glTF
 * embeds buffers and images: the browser's decoding of any other would not be ours. The
 * optimiser's thread reads data URIs by the same rule, in a copy of its own, as it imports only
 * packages.
 */
function dataUriBytes(uri: string): Buffer {
  const comma = uri.indexOf(',')
  const data = uri.slice(comma + 1)
  const isBase64 = comma > 0 && /; *base64$/i.test(uri.slice(0, comma))
  if (!isBase64 || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
    throw new PreviewError('a data URI in it is not base64, as glTF embeds buffers and images')
  }
  return Buffer.from(data, 'base64')
}

/** The object a JSON index names in a list, as the loader finds it: by position, none past the end. */
function entry(items: unknown, index: unknown): Json | undefined {
  if (!Array.isArray(items) || !Number.isInteger(index) || (index as number) < 0) return undefined
  const item: unknown = items[index as number]
  return typeof item === 'object' && item !== null ? (item as Json) : undefined
}
