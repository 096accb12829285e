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
/** Enough of an image to find its size, past a JPEG's metadata segments. */
const HEAD_BYTES = 64 * 1024 + 2

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
  const isGlb = bytes.length >= 20 && bytes.toString('latin1', 0, 4) === 'glTF'
  const jsonLength = isGlb ? bytes.readUInt32LE(12) : bytes.length
  if (jsonLength > MAX_JSON_BYTES || (isGlb && 20 + jsonLength > bytes.length)) {
    throw new PreviewError('its JSON is larger than a preview reads')
  }
  const text = isGlb ? bytes.toString('utf8', 20, 20 + jsonLength) : bytes.toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new PreviewError('its JSON cannot be read')
  }
  if (typeof json !== 'object' || json === null) throw new PreviewError('its JSON is not a glTF')
  const binaryStart = 20 + jsonLength + 8
  const binary = isGlb && bytes.length > binaryStart ? bytes.subarray(binaryStart) : undefined
  return { json: json as Json, binary }
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

/** The pixels the model's embedded images declare, read from their headers. */
function imagePixels(json: Json, binary: Buffer | undefined): number {
  const views = list(json.bufferViews)
  return list(json.images).reduce((sum, image) => {
    const head = imageHead(image, views, binary)
    if (!head) return sum
    let size: { width: number; height: number }
    try {
      size = imageSize(head)
    } catch {
      return sum
    }
    const pixels = size.width * size.height
    if (pixels > MAX_IMAGE_PIXELS) {
      throw new PreviewError(
        `a texture declares ${size.width} × ${size.height} pixels, more than a preview decodes`
      )
    }
    return sum + pixels
  }, 0)
}

function imageHead(image: Json, views: Json[], binary: Buffer | undefined): Buffer | undefined {
  if (typeof image.uri === 'string') {
    const comma = image.uri.indexOf(',')
    if (!image.uri.startsWith('data:') || comma < 0) return undefined
    return Buffer.from(image.uri.slice(comma + 1, comma + 1 + (HEAD_BYTES / 3) * 4), 'base64')
  }
  const view = typeof image.bufferView === 'number' ? views[image.bufferView] : undefined
  if (!view || !binary) return undefined
  const start = typeof view.byteOffset === 'number' ? view.byteOffset : 0
  return binary.subarray(start, start + HEAD_BYTES)
}
