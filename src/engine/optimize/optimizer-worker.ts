// The optimiser's thread: glTF-Transform reads the GLB or glTF, meshoptimizer or Draco compresses its
// geometry (meshoptimizer also simplifies it, when asked), and the jSquash codecs turn its PNG and
// JPEG textures into WebP or AVIF, all WebAssembly, so the same bytes come out on every runner with no
// native binary (docs/decisions/0016). One model at a time; the main
// thread bounds the thread's memory and time, and stops it. Bundled on its own as
// dist/optimizer-worker/index.js, with the codecs' .wasm files beside it; see optimizer.ts.
//
// Run from src/ (the tests), Node runs this file as TypeScript: it imports packages and types only.

import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parentPort, type MessagePort } from 'node:worker_threads'
import {
  FileUtils,
  Format,
  GLB_BUFFER,
  Logger,
  NodeIO,
  type Document,
  type GLTF,
  type JSONDocument,
  type Texture
} from '@gltf-transform/core'
import { ALL_EXTENSIONS, EXTTextureAVIF, EXTTextureWebP } from '@gltf-transform/extensions'
import { dedup, draco, meshopt, prune, quantize, simplify, weld } from '@gltf-transform/functions'
import { init as initJpeg, default as decodeJpeg } from '@jsquash/jpeg/decode.js'
import { init as initPng, default as decodePng } from '@jsquash/png/decode.js'
import { default as resize, initResize } from '@jsquash/resize'
import type { AVIFModule } from '@jsquash/avif/codec/enc/avif_enc.js'
import avifEncoderFactory from '@jsquash/avif/codec/enc/avif_enc.js'
import { defaultOptions as avifDefaults } from '@jsquash/avif/meta.js'
import type { WebPModule } from '@jsquash/webp/codec/enc/webp_enc.js'
import webpEncoderFactory from '@jsquash/webp/codec/enc/webp_enc_simd.js'
import { defaultOptions as webpDefaults } from '@jsquash/webp/meta.js'
import draco3d, { type Decoder, type DecoderModule, type Mesh } from 'draco3dgltf'
import { MeshoptDecoder, MeshoptEncoder, MeshoptSimplifier } from 'meshoptimizer'
import type { OptimizableKind, OptimizeSettings } from '../../model.js'
import type { OptimizeAnswer, OptimizeRequest, OptimizeStep } from './optimizer-protocol.js'

/**
 * The most pixels a texture may declare to be decoded: 8192 × 8192, 256 MiB of RGBA. A texture
 * whose header declares more (a "bomb": 30,000 × 30,000 is 3.6 GB decoded) is refused unread.
 */
const MAX_DECODED_PIXELS = 8192 * 8192
/**
 * The pixels one model's textures may declare in all: decoded pixels live outside the thread's
 * heap limit, and each texture's stay until collected, so a bound per texture alone is no bound.
 */
const MAX_MODEL_PIXELS = 2 * MAX_DECODED_PIXELS
/**
 * Elements of accessors without a buffer view, which glTF reads as zeros: a few bytes of JSON can
 * ask for gigabytes. Accessors with a buffer view are held to the bytes the file holds
 * (refuseReadsPastTheData).
 */
const MAX_ZERO_FILLED_COMPONENTS = 16 * 1024 * 1024
/**
 * Values that Draco-compressed primitives declare, counted once for every primitive that names a
 * stream, and that meshopt-compressed buffer views decode into: 256 MiB as 32-bit floats, some
 * 10 million triangles with normals and texture coordinates. Each stream must decode to what its
 * accessors declare; checking that takes the decoder's WebAssembly memory (at most 2 GiB, outside
 * the thread's heap) for one stream at a time, and a model that fails gives it back with its
 * thread.
 */
const MAX_DRACO_COMPONENTS = 64 * 1024 * 1024
/**
 * How many times accessors and images together may read the data the file holds. A model reads
 * each byte once, or a few twice; more would be views and accessors laid over one another to
 * multiply what the reader allocates.
 */
const MAX_READS_OF_DATA = 2
/**
 * The largest glTF (JSON, its buffers and images as data URIs) the thread parses: V8 holds the
 * text and the parsed document at once, within the thread's heap.
 */
const MAX_GLTF_BYTES = 128 * 1024 * 1024
/**
 * Values per element of each accessor type, and bytes of each component type: gltf-stats.ts has
 * both tables too, and this thread imports only packages.
 */
const COMPONENTS: Record<string, number> = {
  SCALAR: 1,
  VEC2: 2,
  VEC3: 3,
  VEC4: 4,
  MAT2: 4,
  MAT3: 9,
  MAT4: 16
}
const COMPONENT_BYTES: Record<number, number> = {
  5120: 1,
  5121: 1,
  5122: 2,
  5123: 2,
  5125: 4,
  5126: 4
}

/** The codecs' WebAssembly, as the bundle carries it (dist/optimizer-worker/wasm/). */
export const CODEC_WASM = {
  png: '@jsquash/png/codec/pkg/squoosh_png_bg.wasm',
  jpeg: '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  resize: '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm',
  // The SIMD build on every runner: the SIMD and plain builds may give different bytes.
  webp: '@jsquash/webp/codec/enc/webp_enc_simd.wasm',
  // The single-threaded build: threads would make the bytes depend on their timing.
  avif: '@jsquash/avif/codec/enc/avif_enc.wasm',
  dracoEncoder: 'draco3dgltf/draco_encoder.wasm',
  dracoDecoder: 'draco3dgltf/draco_decoder_gltf.wasm'
} as const

/**
 * How far simplifying may move a mesh's surface, as a share of the mesh's size: it stops there even
 * when more triangles are left than `simplify` asks for, rather than deform the model.
 */
const SIMPLIFY_ERROR = 0.01

interface Pixels {
  data: Uint8ClampedArray
  width: number
  height: number
}

/** An encoder's Emscripten factory, as far as it is used: its types leave it untyped. */
type EncoderFactory<T> = (overrides: {
  noInitialRun: boolean
  instantiateWasm: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance) => void
  ) => WebAssembly.Exports
}) => Promise<T>

interface Codecs {
  io: NodeIO
  webp: WebPModule
  /** The AVIF encoder (3.4 MB of WebAssembly), compiled the first time a model needs it. */
  avif?: Promise<AVIFModule>
  /** Draco's encoder and decoder, compiled the first time a model needs them; gives the decoder. */
  draco?: Promise<DecoderModule>
}

/** A failure inside one step: the step names it for the user. */
class StepError extends Error {
  // Assigned in the body: Node strips types from this file, and cannot strip parameter properties.
  readonly step: OptimizeStep

  constructor(step: OptimizeStep, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
    this.step = step
  }
}

if (parentPort) serve(parentPort)

/** One model at a time, so that a model that stops the thread is the one it was working on. */
function serve(port: MessagePort): void {
  const codecs = loadCodecs()
  let previous: Promise<void> = Promise.resolve()
  port.on('message', (request: OptimizeRequest) => {
    previous = previous.then(async () => {
      const answer = await answerOf(codecs, request)
      port.postMessage(answer, answer.kind === 'optimized' ? [answer.bytes.buffer] : [])
    })
  })
}

async function answerOf(
  codecs: Promise<Codecs>,
  request: OptimizeRequest
): Promise<OptimizeAnswer> {
  const { id } = request
  try {
    const bytes = await optimizeModel(await codecs, request)
    return { kind: 'optimized', id, bytes }
  } catch (error) {
    const step = error instanceof StepError ? error.step : 'reading the model to optimise'
    const message = error instanceof Error ? error.message : String(error)
    return { kind: 'failed', id, step, message }
  }
}

/** The codecs, compiled once per thread from the .wasm files: jSquash's own loader would fetch them. */
async function loadCodecs(): Promise<Codecs> {
  const [png, jpeg, resizer, webpModule] = await Promise.all(
    [CODEC_WASM.png, CODEC_WASM.jpeg, CODEC_WASM.resize, CODEC_WASM.webp].map(compile)
  )
  await Promise.all([initPng(png), initJpeg(jpeg), initResize(resizer)])
  const webp = await encoder(webpEncoderFactory as EncoderFactory<WebPModule>, webpModule)
  await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready, MeshoptSimplifier.ready])
  // Its log would reach the job's log without escaping; what matters reaches it as a failure.
  const io = new NodeIO()
    .setLogger(new Logger(Logger.Verbosity.SILENT))
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder })
  return { io, webp }
}

/** An Emscripten encoder on its compiled module: its own loader would fetch the .wasm by URL. */
function encoder<T>(factory: EncoderFactory<T>, module: WebAssembly.Module): Promise<T> {
  return factory({
    noInitialRun: true,
    instantiateWasm: (imports, receive) => {
      void WebAssembly.instantiate(module, imports).then(receive)
      return {}
    }
  })
}

/** The AVIF encoder, compiled once per thread, the first time a model asks for AVIF. */
function withAvif(codecs: Codecs): Promise<AVIFModule> {
  codecs.avif ??= compile(CODEC_WASM.avif).then(module =>
    encoder(avifEncoderFactory as EncoderFactory<AVIFModule>, module)
  )
  return codecs.avif
}

/** Draco's modules, given their WebAssembly as bytes: their own loaders would look for it elsewhere. */
function withDraco(codecs: Codecs): Promise<DecoderModule> {
  // Draco's Emscripten loader reads the CommonJS `__dirname` as it starts, even when handed its
  // WebAssembly; the bundle is an ES module and has none, so the thread gives it its own folder.
  const globals = globalThis as { __dirname?: string }
  globals.__dirname ??= path.dirname(fileURLToPath(import.meta.url))
  codecs.draco ??= Promise.all([
    draco3d.createEncoderModule({ wasmBinary: readFileSync(wasmPath(CODEC_WASM.dracoEncoder)) }),
    draco3d.createDecoderModule({ wasmBinary: readFileSync(wasmPath(CODEC_WASM.dracoDecoder)) })
  ]).then(([encoder, decoder]) => {
    codecs.io.registerDependencies({ 'draco3d.encoder': encoder, 'draco3d.decoder': decoder })
    return decoder
  })
  return codecs.draco
}

function compile(file: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(readFileSync(wasmPath(file)))
}

/** Beside the bundle when bundled; in node_modules when run from src/. */
function wasmPath(file: string): string {
  const folder = path.dirname(fileURLToPath(import.meta.url))
  const bundled = path.join(folder, 'wasm', path.basename(file))
  return existsSync(bundled) ? bundled : createRequire(import.meta.url).resolve(file)
}

/**
 * The model optimised: duplicates merged and unused data dropped (nodes, attributes and extras are
 * kept), textures re-encoded, geometry compressed; every triangle and animation kept unless
 * `simplify` is set. A GLB comes out a GLB, a glTF a glTF.
 */
async function optimizeModel(
  codecs: Codecs,
  { bytes, kind, settings }: Pick<OptimizeRequest, 'bytes' | 'kind' | 'settings'>
): Promise<Uint8Array<ArrayBuffer>> {
  const document = await inStep('reading the model to optimise', async () => {
    const json =
      kind === 'glb' ? ownedResources(await codecs.io.binaryToJSON(bytes)) : selfContained(bytes)
    const draco = dracoPrimitives(json.json)
    refuseBulkWithoutData(json.json, draco)
    refuseReadsPastTheData(json)
    if (draco.length > 0 || settings.geometry === 'draco') {
      checkDracoStreams(json, draco, await withDraco(codecs))
    }
    return codecs.io.readJSON(json)
  })
  await inStep('reading the model to optimise', () =>
    document.transform(dedup(), prune({ keepLeaves: true, keepAttributes: true, keepExtras: true }))
  )
  const ratio = settings.simplify
  if (ratio !== undefined)
    await inStep('simplifying geometry', () => simplifyMeshes(document, ratio))
  if (settings.textures !== 'keep') {
    await inStep('optimising textures', () => reencodeTextures(document, codecs, settings))
  }
  await inStep('compressing geometry', () => compressGeometry(document, settings))
  return inStep('writing the optimised model', () => written(codecs.io, document, kind))
}

/**
 * A glTF whose buffers and images are all inside it (data URIs): the optimiser has no other
 * file of the model, and never reads one that a URI names.
 */
function selfContained(bytes: Uint8Array): JSONDocument {
  if (bytes.byteLength > MAX_GLTF_BYTES) {
    throw new Error(
      `it is a glTF of ${bytes.byteLength.toLocaleString('en-US')} bytes, more than the ${MAX_GLTF_BYTES.toLocaleString('en-US')} the optimiser parses`
    )
  }
  const json = JSON.parse(new TextDecoder().decode(bytes)) as GLTF.IGLTF
  const embedded = [...(json.buffers ?? []), ...(json.images ?? [])]
  if (embedded.some(item => item.uri !== undefined && !isDataUri(item.uri))) {
    throw new Error(
      'it refers to files beside it; only a glTF with its buffers and images embedded (data URIs) is optimised. Set `optimize: false` for this entry in echo3d.yml, or pull it as GLB'
    )
  }
  // Decoded here, strictly, once: glTF-Transform then reads the bytes `resources` names, and
  // decodes no URI its own, more lenient way.
  const resources: Record<string, Uint8Array<ArrayBuffer>> = {}
  embedded.forEach((item, index) => {
    if (item.uri === undefined) return
    // Named as glTF-Transform names them: `__` keeps the name out of the output, and the
    // extension gives an image without a mimeType its type.
    const name = `__embedded-${index}.${FileUtils.extension(item.uri)}`
    resources[name] = dataUriBytes(item.uri)
    item.uri = name
  })
  return { json, resources }
}

function isDataUri(uri: unknown): boolean {
  return typeof uri === 'string' && uri.startsWith('data:')
}

/**
 * A base64 data URI's bytes, as glTF embeds buffers and images; any other is refused. The previews'
 * check (model-limits.ts) reads data URIs by the same rule.
 */
function dataUriBytes(uri: string): Uint8Array<ArrayBuffer> {
  const comma = uri.indexOf(',')
  const data = uri.slice(comma + 1)
  const isBase64 = comma > 0 && /; *base64$/i.test(uri.slice(0, comma))
  if (!isBase64 || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) {
    throw new Error('a data URI in it is not base64, as glTF embeds buffers and images')
  }
  return new Uint8Array(Buffer.from(data, 'base64'))
}

/**
 * The GLB's data URIs, as glTF-Transform decoded them, each in memory of its own: a small one
 * shares Node's pool of buffers, which a view read past its end would reach.
 */
function ownedResources(document: JSONDocument): JSONDocument {
  for (const [name, bytes] of Object.entries(document.resources)) {
    if (name !== GLB_BUFFER) document.resources[name] = new Uint8Array(bytes)
  }
  return document
}

/** In a fresh buffer of its own, to move to the main thread whole. */
async function written(
  io: NodeIO,
  document: Document,
  kind: OptimizableKind
): Promise<Uint8Array<ArrayBuffer>> {
  if (kind === 'glb') return new Uint8Array(await io.writeBinary(document))
  const { json, resources } = await io.writeJSON(document, { format: Format.GLTF })
  for (const buffer of json.buffers ?? []) embed(buffer, resources)
  for (const image of json.images ?? []) embed(image, resources, image.mimeType)
  return new TextEncoder().encode(JSON.stringify(json))
}

/** The resource the writer named by `uri`, as a data URI in its place. */
function embed(
  item: { uri?: string },
  resources: Record<string, Uint8Array>,
  mimeType = 'application/octet-stream'
): void {
  if (item.uri === undefined) return
  const data = resources[item.uri]
  if (!data) throw new Error('the writer named a resource it did not write')
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')
  item.uri = `data:${mimeType};base64,${base64}`
}

/** A Draco-compressed primitive: its stream, and the accessors it decodes into. */
interface DracoPrimitive {
  label: string
  bufferView: number
  /** The attributes the stream holds, each its accessor and its ID in the stream. */
  attributes: { accessor: number; id: unknown }[]
  indices?: number
}

function dracoPrimitives(json: GLTF.IGLTF): DracoPrimitive[] {
  return (json.meshes ?? []).flatMap((mesh, meshIndex) =>
    (mesh.primitives ?? []).flatMap((primitive, index) => {
      const draco = primitive.extensions?.KHR_draco_mesh_compression as
        { bufferView?: number; attributes?: Record<string, number> } | undefined
      if (!draco) return []
      return {
        label: `mesh ${meshIndex} primitive ${index}`,
        bufferView: draco.bufferView ?? -1,
        attributes: Object.entries(draco.attributes ?? {}).map(([semantic, id]) => ({
          accessor: primitive.attributes?.[semantic] ?? -1,
          id
        })),
        ...(primitive.indices === undefined ? {} : { indices: primitive.indices })
      }
    })
  )
}

/**
 * Accessors without a buffer view ask for memory the file does not hold: zeros that the reader
 * fills in, and what Draco's streams decode into, once for every primitive that names a stream.
 * Each kind has a limit of its own, and every count must be one that a glTF can hold.
 */
function refuseBulkWithoutData(json: GLTF.IGLTF, draco: readonly DracoPrimitive[]): void {
  const accessors = json.accessors ?? []
  accessors.forEach((accessor, index) => {
    if (!isCount(accessor.count)) throw new Error(`accessor ${index} has no valid count`)
  })
  const values = (index: number): number => {
    const accessor = itemAt(accessors, index)
    if (!accessor) throw new Error(`a Draco-compressed primitive names no accessor ${index}`)
    return accessor.count * (COMPONENTS[accessor.type] ?? 16)
  }
  const streamAccessors = (primitive: DracoPrimitive): number[] => [
    ...primitive.attributes.map(attribute => attribute.accessor),
    ...(primitive.indices === undefined ? [] : [primitive.indices])
  ]
  const decoded = new Set(draco.flatMap(streamAccessors))
  const zeros = accessors
    .filter((accessor, index) => accessor.bufferView === undefined && !decoded.has(index))
    .reduce((sum, accessor) => sum + accessor.count * (COMPONENTS[accessor.type] ?? 16), 0)
  const streams =
    draco.flatMap(streamAccessors).reduce((sum, index) => sum + values(index), 0) +
    meshoptValues(json)
  refuseMoreThan(
    zeros,
    MAX_ZERO_FILLED_COMPONENTS,
    'its accessors without data ask for',
    'the optimiser fills in'
  )
  refuseMoreThan(
    streams,
    MAX_DRACO_COMPONENTS,
    'its compressed geometry (Draco, meshopt) declares',
    'the optimiser decodes'
  )
}

/** What EXT_meshopt_compression's buffer views decode into, in 4-byte values. */
function meshoptValues(json: GLTF.IGLTF): number {
  return (json.bufferViews ?? []).reduce((sum, view, index) => {
    const stream = meshoptStream(json, view, index)
    return stream ? sum + (stream.count * stream.byteStride) / 4 : sum
  }, 0)
}

interface MeshoptStream {
  buffer: number
  byteOffset?: number
  byteLength: number
  count: number
  byteStride: number
}

/**
 * A view's meshopt stream, its counts checked: an element of at most 256 bytes, as the extension
 * says. Only where the model uses the extension: elsewhere the reader reads the view as it is.
 */
function meshoptStream(
  json: GLTF.IGLTF,
  view: GLTF.IBufferView,
  index: number
): MeshoptStream | undefined {
  const stream = view.extensions?.EXT_meshopt_compression as MeshoptStream | undefined
  if (!stream || !(json.extensionsUsed ?? []).includes('EXT_meshopt_compression')) return undefined
  const { count, byteStride } = stream
  if (!isCount(count) || !Number.isInteger(byteStride) || byteStride < 1 || byteStride > 256) {
    throw new Error(`buffer view ${index}'s meshopt stream has no valid count or byteStride`)
  }
  return stream
}

/**
 * Accessors with data ask for as much memory as they declare, whatever the file holds: a stride
 * of 0 reads one element over and over, a view may claim more than its buffer has, and many
 * accessors may lie over one view. So each view must lie inside the bytes its buffer has, each
 * accessor inside its view, with a stride that steps past its element; and what all of them read
 * (the reader copies an image's view too) is held to twice the data: the file's stored bytes for
 * plain views, what their streams decode to for meshopt views.
 */
function refuseReadsPastTheData(document: JSONDocument): void {
  const { json } = document
  const viewList = json.bufferViews ?? []
  const views = viewList.map((view, index) => viewLength(document, view, index))
  const reads = views.map(() => 0)
  const readFrom = (view: number, bytes: number): void => {
    reads[view] += bytes
  }
  ;(json.accessors ?? []).forEach((accessor, index) =>
    accessorReads(json, accessor, index, views, readFrom)
  )
  for (const image of json.images ?? []) {
    const length = itemAt(views, image.bufferView)
    if (length !== undefined) readFrom(image.bufferView as number, length)
  }
  const compressed = viewList.map((view, index) => meshoptStream(json, view, index))
  const stored = Object.values(document.resources).reduce((sum, bytes) => sum + bytes.byteLength, 0)
  const decoded = compressed.reduce(
    (sum, stream) => sum + (stream ? stream.count * stream.byteStride : 0),
    0
  )
  const plainReads = reads.reduce((sum, bytes, index) => (compressed[index] ? sum : sum + bytes), 0)
  refuseReadsOver(plainReads, stored, 'of data')
  refuseReadsOver(
    reads.reduce((sum, bytes) => sum + bytes, 0) - plainReads,
    decoded,
    'that its meshopt streams decode to'
  )
}

function refuseReadsOver(read: number, held: number, what: string): void {
  if (read <= MAX_READS_OF_DATA * held) return
  throw new Error(
    `its accessors and images read ${read.toLocaleString('en-US')} bytes from ${held.toLocaleString('en-US')} bytes ${what}`
  )
}

/** What an accessor reads, by view: its elements, and its sparse part's, which the reader reads twice. */
function accessorReads(
  json: GLTF.IGLTF,
  accessor: GLTF.IAccessor,
  index: number,
  views: readonly number[],
  readFrom: (view: number, bytes: number) => void
): void {
  if (!isCount(accessor.byteOffset ?? 0)) throw new Error(`accessor ${index} has no valid offset`)
  if (accessor.bufferView !== undefined) {
    readFrom(accessor.bufferView, accessorBytes(json, accessor, index, views))
  }
  const { sparse } = accessor
  if (!sparse) return
  const element = elementBytes(accessor)
  const indexBytes = COMPONENT_BYTES[sparse.indices?.componentType] ?? 0
  const valid =
    isCount(sparse.count) &&
    sparse.count <= accessor.count &&
    indexBytes > 0 &&
    element > 0 &&
    sparsePartFits(json, accessor, sparse.indices, sparse.count * indexBytes, views) &&
    sparsePartFits(json, accessor, sparse.values, sparse.count * element, views)
  if (!valid) throw new Error(`accessor ${index}'s sparse elements lie outside their buffer views`)
  readFrom(sparse.indices.bufferView, 2 * sparse.count * indexBytes)
  readFrom(sparse.values.bufferView, 2 * sparse.count * element)
}

/**
 * A sparse part inside its view, packed: the reader takes the accessor's offset where the part
 * gives none.
 */
function sparsePartFits(
  json: GLTF.IGLTF,
  accessor: GLTF.IAccessor,
  part: { bufferView: number; byteOffset?: number } | undefined,
  length: number,
  views: readonly number[]
): boolean {
  const viewLength = itemAt(views, part?.bufferView)
  const start = part?.byteOffset ?? accessor.byteOffset ?? 0
  const packed = itemAt(json.bufferViews, part?.bufferView)?.byteStride === undefined
  return viewLength !== undefined && packed && isCount(start) && start + length <= viewLength
}

/** The bytes a buffer view has to give: its own, checked against its buffer's. */
function viewLength(document: JSONDocument, view: GLTF.IBufferView, index: number): number {
  const stream = meshoptStream(document.json, view, index)
  const start = stream ? (stream.byteOffset ?? 0) : (view.byteOffset ?? 0)
  const length = stream ? stream.byteLength : view.byteLength
  const buffer = stream ? stream.buffer : view.buffer
  if (!isCount(start) || !isCount(length) || start + length > bufferData(document, buffer).length) {
    throw new Error(`buffer view ${index} reaches past the bytes of its buffer`)
  }
  if (!stream) return view.byteLength
  if (!isCount(view.byteLength) || view.byteLength > stream.count * stream.byteStride) {
    throw new Error(`buffer view ${index} is longer than its meshopt stream decodes to`)
  }
  return view.byteLength
}

/** A buffer's bytes, where glTF-Transform finds them: the GLB's binary chunk, or a decoded URI's. */
function bufferData(document: JSONDocument, index: unknown): Uint8Array {
  const buffer = itemAt(document.json.buffers, index)
  if (!buffer) throw new Error('a buffer view names a buffer that is not there')
  return document.resources[buffer.uri ? buffer.uri : GLB_BUFFER] ?? new Uint8Array(0)
}

/** What the accessor reads, once its place in its view is checked. */
function accessorBytes(
  json: GLTF.IGLTF,
  accessor: GLTF.IAccessor,
  index: number,
  views: readonly number[]
): number {
  const view = itemAt(json.bufferViews, accessor.bufferView)
  const element = elementBytes(accessor)
  const stride = view?.byteStride ?? element
  const start = accessor.byteOffset ?? 0
  const valid =
    view !== undefined &&
    element > 0 &&
    Number.isInteger(stride) &&
    stride >= element &&
    stride <= 252 &&
    isCount(start) &&
    (accessor.count === 0 ||
      start + (accessor.count - 1) * stride + element <= views[accessor.bufferView ?? 0])
  if (!valid)
    throw new Error(`accessor ${index} reads past its buffer view, or has no valid stride`)
  return accessor.count * element
}

function elementBytes(accessor: GLTF.IAccessor): number {
  return (COMPONENTS[accessor.type] ?? 0) * (COMPONENT_BYTES[accessor.componentType] ?? 0)
}

/** The item a JSON index names, when it is one of the list's: never one counted from the end. */
function itemAt<T>(list: readonly T[] | undefined, index: unknown): T | undefined {
  return Number.isInteger(index) && (index as number) >= 0 ? list?.[index as number] : undefined
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 2 ** 32
}

/**
 * Each Draco stream decoded once, before glTF-Transform reads the model: its points and faces must
 * be what the accessors of every primitive that names it declare, as the extension requires, so
 * that the declared counts, which the limits bound, are the memory the reader takes.
 */
function checkDracoStreams(
  document: JSONDocument,
  draco: readonly DracoPrimitive[],
  decoder: DecoderModule
): void {
  const byStream = new Map<number, DracoPrimitive[]>()
  for (const primitive of draco) {
    byStream.set(primitive.bufferView, [...(byStream.get(primitive.bufferView) ?? []), primitive])
  }
  for (const [bufferView, primitives] of byStream) {
    withDecodedMesh(decoder, viewBytes(document, bufferView), (dracoDecoder, mesh) => {
      for (const primitive of primitives)
        checkDracoPrimitive(document.json, primitive, dracoDecoder, mesh)
    })
  }
}

/**
 * The primitive's accessors against its decoded stream: as many points and triangles, and each
 * attribute of as many components (the reader sizes its arrays by the stream's, up to 127 a point).
 */
function checkDracoPrimitive(
  json: GLTF.IGLTF,
  primitive: DracoPrimitive,
  dracoDecoder: Decoder,
  mesh: Mesh
): void {
  const [points, faces] = [mesh.num_points(), mesh.num_faces()]
  const accessors = json.accessors ?? []
  const wrongCount = primitive.attributes.some(
    ({ accessor }) => itemAt(accessors, accessor)?.count !== points
  )
  const indices =
    primitive.indices === undefined ? faces * 3 : itemAt(accessors, primitive.indices)?.count
  if (wrongCount || indices !== faces * 3) {
    throw new Error(
      `${primitive.label}'s Draco stream decodes to ${points.toLocaleString('en-US')} points and ${faces.toLocaleString('en-US')} triangles, not what its accessors declare`
    )
  }
  const components = streamComponents(dracoDecoder, mesh)
  const wrongSize = primitive.attributes.some(
    ({ accessor, id }) => components.get(id) !== COMPONENTS[itemAt(accessors, accessor)?.type ?? '']
  )
  if (wrongSize) {
    throw new Error(
      `${primitive.label}'s Draco stream holds an attribute of another size than its accessor declares`
    )
  }
}

/** The components of each attribute the stream holds, by its unique ID. */
function streamComponents(dracoDecoder: Decoder, mesh: Mesh): Map<unknown, number> {
  const components = new Map<unknown, number>()
  for (let index = 0; index < mesh.num_attributes(); index++) {
    const attribute = dracoDecoder.GetAttribute(mesh, index) as DracoAttribute
    components.set(attribute.unique_id(), attribute.num_components())
  }
  return components
}

/** What Draco's attribute has besides its components, which its type declarations leave out. */
type DracoAttribute = ReturnType<Decoder['GetAttribute']> & { unique_id(): number }

function withDecodedMesh(
  decoder: DecoderModule,
  bytes: Uint8Array,
  use: (dracoDecoder: Decoder, mesh: Mesh) => void
): void {
  const buffer = new decoder.DecoderBuffer()
  const dracoDecoder = new decoder.Decoder()
  const mesh = new decoder.Mesh()
  try {
    buffer.Init(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength)
    const isMesh = dracoDecoder.GetEncodedGeometryType(buffer) === decoder.TRIANGULAR_MESH
    if (!isMesh || !dracoDecoder.DecodeBufferToMesh(buffer, mesh).ok()) {
      throw new Error('a Draco stream is not a mesh that Draco can decode')
    }
    use(dracoDecoder, mesh)
  } finally {
    for (const object of [mesh, dracoDecoder, buffer]) decoder.destroy(object)
  }
}

/** A buffer view's bytes: from the GLB's binary chunk, or from a buffer's data URI. */
function viewBytes(document: JSONDocument, index: number): Uint8Array {
  const view = itemAt(document.json.bufferViews, index)
  if (!view) throw new Error(`a Draco-compressed primitive names no buffer view ${index}`)
  const data = bufferData(document, view.buffer)
  const start = view.byteOffset ?? 0
  if (!isCount(start) || !isCount(view.byteLength) || start + view.byteLength > data.byteLength) {
    throw new Error(`buffer view ${index} lies outside its buffer`)
  }
  return data.subarray(start, start + view.byteLength)
}

function refuseMoreThan(values: number, limit: number, what: string, reader: string): void {
  if (values <= limit) return
  throw new Error(
    `${what} ${values.toLocaleString('en-US')} values, more than the ${limit.toLocaleString('en-US')} ${reader}`
  )
}

async function inStep<T>(step: OptimizeStep, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw error instanceof StepError ? error : new StepError(step, error)
  }
}

/**
 * About `ratio` of each mesh's triangles kept: vertices that share a position and attributes are
 * joined first, which simplifying needs to see the surface.
 */
async function simplifyMeshes(document: Document, ratio: number): Promise<void> {
  await document.transform(
    weld(),
    simplify({ simplifier: MeshoptSimplifier, ratio, error: SIMPLIFY_ERROR })
  )
}

/** Compressions a source may come with: read, and then dropped, so that only the chosen one is written. */
const GEOMETRY_COMPRESSIONS = ['KHR_draco_mesh_compression', 'EXT_meshopt_compression']

async function compressGeometry(document: Document, settings: OptimizeSettings): Promise<void> {
  for (const extension of document.getRoot().listExtensionsUsed()) {
    if (GEOMETRY_COMPRESSIONS.includes(extension.extensionName)) extension.dispose()
  }
  if (settings.geometry === 'meshopt') {
    await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }))
  } else if (settings.geometry === 'draco') {
    await document.transform(draco({ method: 'edgebreaker' }))
  } else if (settings.geometry === 'quantize') {
    await document.transform(quantize())
  }
}

/** A texture format the optimiser writes, and the extension a file that holds it requires. */
interface TextureEncoding {
  name: string
  mimeType: string
  /** Marks the document as needing a loader that reads the format. */
  require: (document: Document) => void
  encode: (pixels: Pixels) => Uint8Array | null
}

async function encodingOf(codecs: Codecs, settings: OptimizeSettings): Promise<TextureEncoding> {
  const quality = settings.textureQuality
  if (settings.textures === 'avif') {
    const avif = await withAvif(codecs)
    return {
      name: 'AVIF',
      mimeType: 'image/avif',
      require: document => document.createExtension(EXTTextureAVIF).setRequired(true),
      encode: ({ data, width, height }) =>
        avif.encode(data, width, height, { ...avifDefaults, quality })
    }
  }
  return {
    name: 'WebP',
    mimeType: 'image/webp',
    require: document => document.createExtension(EXTTextureWebP).setRequired(true),
    encode: ({ data, width, height }) =>
      codecs.webp.encode(data, width, height, { ...webpDefaults, quality })
  }
}

/** PNG and JPEG textures re-encoded, no larger than `textureSize`; other formats are left as they are. */
async function reencodeTextures(
  document: Document,
  codecs: Codecs,
  settings: OptimizeSettings
): Promise<void> {
  const textures = document
    .getRoot()
    .listTextures()
    .flatMap((texture, index) => decodable(texture, index) ?? [])
  refuseTooManyPixels(textures.map(({ size }) => size.width * size.height))
  if (textures.length === 0) return
  const encoding = await encodingOf(codecs, settings)
  for (const entry of textures) {
    const { texture, index } = entry
    const sized = await scaledDown(await decodeTexture(entry), settings.textureSize)
    const encoded = encoding.encode(sized)
    if (!encoded) throw new Error(`texture ${index} could not be encoded as ${encoding.name}`)
    // A copy of its own: an encoder may answer with a view of its WebAssembly memory.
    texture.setImage(encoded.slice()).setMimeType(encoding.mimeType)
  }
  encoding.require(document)
}

/** A PNG or JPEG texture, with its image and the size its header declares. */
interface DecodableTexture {
  texture: Texture
  index: number
  image: Uint8Array
  size: Size
}

/** The texture when it is a PNG or JPEG within MAX_DECODED_PIXELS; undefined for other formats. */
function decodable(texture: Texture, index: number): DecodableTexture | undefined {
  const mimeType = texture.getMimeType()
  if (mimeType !== 'image/png' && mimeType !== 'image/jpeg') return undefined
  const image = texture.getImage()
  if (!image) throw new Error(`texture ${index} has no image data`)
  const size = declaredSize(image, mimeType, index)
  if (size.width * size.height > MAX_DECODED_PIXELS) {
    throw new Error(
      `texture ${index} declares ${size.width} × ${size.height} pixels, more than the ${MAX_DECODED_PIXELS.toLocaleString('en-US')} (8192 × 8192) the optimiser decodes: refused unread`
    )
  }
  return { texture, index, image, size }
}

function refuseTooManyPixels(sizes: readonly number[]): void {
  const total = sizes.reduce((sum, pixels) => sum + pixels, 0)
  if (total <= MAX_MODEL_PIXELS) return
  throw new Error(
    `its textures declare ${total.toLocaleString('en-US')} pixels in all, more than the ${MAX_MODEL_PIXELS.toLocaleString('en-US')} the optimiser decodes for one model: refused unread. Set \`textures: keep\` to optimise its geometry only`
  )
}

/** Decoded only when its header's size was within the limits, and only to that size. */
async function decodeTexture({ texture, index, image, size }: DecodableTexture): Promise<Pixels> {
  const buffer = image.slice().buffer
  const pixels: Pixels =
    texture.getMimeType() === 'image/png' ? await decodePng(buffer) : await decodeJpeg(buffer)
  if (pixels.width !== size.width || pixels.height !== size.height) {
    throw new Error(`texture ${index} decodes to another size than its header declares`)
  }
  return pixels
}

interface Size {
  width: number
  height: number
}

/** The size a PNG's IHDR or a JPEG's frame header declares, read as the decoders read them. */
export function declaredSize(image: Uint8Array, mimeType: string, index: number): Size {
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength)
  const size = mimeType === 'image/png' ? pngSize(bytes) : jpegSize(bytes)
  if (size && size.width > 0 && size.height > 0) return size
  throw new Error(`texture ${index} has no PNG or JPEG header that gives its size`)
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function pngSize(bytes: Buffer): Size | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/**
 * The size in a JPEG's frame header (SOF0 to SOF15, not DHT, JPG or DAC), found by walking its
 * segments as libjpeg does, fill bytes included. A second frame header, or none before the scan,
 * is no size: a header that another reader would read otherwise is refused, not guessed at.
 */
function jpegSize(bytes: Buffer): Size | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined
  let size: Size | undefined
  let at = 2
  while (at + 1 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined
    while (bytes[at] === 0xff && at + 1 < bytes.length) at++
    const marker = bytes[at++]
    if (marker === 0xd9 || marker === 0xda) return size
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue
    if (at + 2 > bytes.length) return undefined
    const length = bytes.readUInt16BE(at)
    if (isFrameHeader(marker)) {
      if (size || at + 7 > bytes.length) return undefined
      size = { height: bytes.readUInt16BE(at + 3), width: bytes.readUInt16BE(at + 5) }
    }
    at += length
  }
  return undefined
}

function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

/** Never enlarged; the longest side brought down to `longest`, the aspect kept. */
async function scaledDown(pixels: Pixels, longest: number): Promise<Pixels> {
  const side = Math.max(pixels.width, pixels.height)
  if (side <= longest) return pixels
  const width = Math.max(1, Math.round((pixels.width * longest) / side))
  const height = Math.max(1, Math.round((pixels.height * longest) / side))
  return resize(pixels, { width, height })
}
