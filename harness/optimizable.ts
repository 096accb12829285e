// Models for the tests of `optimize`: a textured terrain grid large enough to be worth optimising
// (real geometry, a real PNG), the same compressed with Draco or as a glTF (its texture embedded,
// or a file beside it), one mesh drawn many times over, a skinned and animated model, one with a morph target, a texture "bomb" whose PNG declares 30,000 × 30,000 pixels, and a GLB that
// claims Draco-compressed geometry it does not hold.

import { deflateSync } from 'node:zlib'
import {
  Document,
  Format,
  NodeIO,
  type Accessor,
  type Buffer as GltfBuffer,
  type Material,
  type Texture,
  type TypedArray
} from '@gltf-transform/core'
import { KHRDracoMeshCompression } from '@gltf-transform/extensions'
import { draco } from '@gltf-transform/functions'
import draco3d from 'draco3dgltf'
import { pngChunk } from '../emulator/samples.ts'
import { glbOf } from './models.ts'

/** A PNG of `side` × `side` RGB pixels in a smooth pattern with some grain, as a terrain's. */
export function patternPng(side: number, declared: [number, number] = [side, side]): Buffer {
  const rows: Buffer[] = []
  for (let y = 0; y < side; y++) {
    const row = Buffer.alloc(1 + side * 3)
    for (let x = 0; x < side; x++) {
      const wave = (Math.sin(x * 0.05) + Math.cos(y * 0.031) + Math.sin((x + y) * 0.011)) * 40
      row[1 + x * 3] = 100 + wave + ((x * 7 + y * 13) % 23)
      row[2 + x * 3] = 120 + wave * 0.8 + ((x ^ y) % 17)
      row[3 + x * 3] = 60 + wave * 0.5
    }
    rows.push(row)
  }
  return rgbPng(declared, rows)
}

/** An 8-bit RGB PNG of these rows (each led by its filter byte), declaring `width` × `height`. */
function rgbPng([width, height]: [number, number], rows: readonly Buffer[]): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/**
 * A terrain of `quads` × `quads` squares (two triangles each), textured with `texture`, and with
 * `more` textures as its normal, emissive and occlusion maps.
 */
export async function terrainGlb(
  quads: number,
  texture: Buffer,
  ...more: Buffer[]
): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const side = quads + 1
  const positions = new Float32Array(side * side * 3)
  const normals = new Float32Array(side * side * 3)
  const uvs = new Float32Array(side * side * 2)
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const vertex = y * side + x
      const height = Math.sin(x / 7) * Math.cos(y / 9) * 0.5
      positions.set([(x / quads) * 10 - 5, height, (y / quads) * 10 - 5], vertex * 3)
      normals.set([0, 1, 0], vertex * 3)
      uvs.set([x / quads, y / quads], vertex * 2)
    }
  }
  const indices = new Uint32Array(quads * quads * 6)
  for (let y = 0, at = 0; y < quads; y++) {
    for (let x = 0; x < quads; x++, at += 6) {
      const corner = y * side + x
      indices.set(
        [corner, corner + side, corner + 1, corner + 1, corner + side, corner + side + 1],
        at
      )
    }
  }
  const accessor = (
    type: 'VEC3' | 'VEC2' | 'SCALAR',
    array: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>
  ) => document.createAccessor().setType(type).setArray(array).setBuffer(buffer)
  const image = document.createTexture('ground').setImage(texture).setMimeType('image/png')
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', positions))
    .setAttribute('NORMAL', accessor('VEC3', normals))
    .setAttribute('TEXCOORD_0', accessor('VEC2', uvs))
    .setIndices(accessor('SCALAR', indices))
    .setMaterial(withMaps(document, image, more))
  const mesh = document.createMesh('terrain').addPrimitive(primitive)
  document.createScene().addChild(document.createNode('terrain').setMesh(mesh))
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/**
 * A small file that draws a great deal: one terrain mesh drawn by `instances` nodes, each a
 * little apart. Its data is a few hundred KB; drawing it takes a software renderer minutes.
 */
export async function instancedGlb(quads: number, instances: number): Promise<Buffer> {
  const io = new NodeIO()
  const document = await io.readBinary(await terrainGlb(quads, patternPng(8)))
  const [mesh] = document.getRoot().listMeshes()
  const [scene] = document.getRoot().listScenes()
  for (let index = 0; index < instances; index++) {
    const node = document
      .createNode()
      .setMesh(mesh)
      .setTranslation([0, index * 1e-4, 0])
    scene.addChild(node)
  }
  return Buffer.from(await io.writeBinary(document))
}

function withMaps(document: Document, base: Texture, maps: readonly Buffer[]): Material {
  const material = document.createMaterial('ground').setBaseColorTexture(base)
  const texture = (png: Buffer) => document.createTexture().setImage(png).setMimeType('image/png')
  if (maps[0]) material.setNormalTexture(texture(maps[0]))
  if (maps[1]) material.setEmissiveTexture(texture(maps[1]))
  if (maps[2]) material.setOcclusionTexture(texture(maps[2]))
  return material
}

/**
 * The GLB as a glTF file: JSON with its buffer and its textures embedded as data URIs, or, with
 * `externalTexture`, the textures named as files beside it, which echo3D would serve apart.
 */
export async function gltfOf(
  glb: Buffer,
  options: { externalTexture?: boolean } = {}
): Promise<Buffer> {
  const io = new NodeIO()
  const { json, resources } = await io.writeJSON(await io.readBinary(glb), { format: Format.GLTF })
  const dataUri = (uri: string, mimeType: string) =>
    `data:${mimeType};base64,${Buffer.from(resources[uri]).toString('base64')}`
  for (const buffer of json.buffers ?? []) {
    if (buffer.uri) buffer.uri = dataUri(buffer.uri, 'application/octet-stream')
  }
  for (const image of json.images ?? []) {
    if (image.uri && !options.externalTexture) image.uri = dataUri(image.uri, image.mimeType ?? '')
  }
  return Buffer.from(JSON.stringify(json))
}

/** The model with its geometry compressed by Draco's own encoder (KHR_draco_mesh_compression). */
export async function dracoCompressed(glb: Buffer): Promise<Buffer> {
  const io = new NodeIO().registerExtensions([KHRDracoMeshCompression]).registerDependencies({
    'draco3d.encoder': await draco3d.createEncoderModule(),
    'draco3d.decoder': await draco3d.createDecoderModule()
  })
  const document = await io.readBinary(glb)
  await document.transform(draco({ method: 'edgebreaker' }))
  return Buffer.from(await io.writeBinary(document))
}

/**
 * A Draco stream of `points` points whose second attribute has `components` components a point,
 * declared by its accessor as one (SCALAR): glTF-Transform's reader sizes the attribute by the
 * stream, so a file of a few hundred bytes asks for points × components values.
 */
export async function dracoWideAttributeGlb(points: number, components: number): Promise<Buffer> {
  const encoder = await draco3d.createEncoderModule()
  const mesh = new encoder.Mesh()
  const builder = new encoder.MeshBuilder()
  builder.AddFacesToMesh(mesh, 1, new Uint32Array([0, 1, 2]))
  builder.AddFloatAttribute(mesh, encoder.POSITION, points, 3, new Float32Array(points * 3))
  const wide = builder.AddUInt8Attribute(
    mesh,
    encoder.GENERIC,
    points,
    components,
    new Uint8Array(points * components)
  )
  const meshEncoder = new encoder.Encoder()
  meshEncoder.SetEncodingMethod(encoder.MESH_SEQUENTIAL_ENCODING)
  const encoded = new encoder.DracoInt8Array()
  const length = meshEncoder.EncodeMeshToDracoBuffer(mesh, encoded)
  const stream = Buffer.alloc(Math.ceil(length / 4) * 4)
  for (let index = 0; index < length; index++) stream.writeInt8(encoded.GetValue(index), index)
  for (const object of [encoded, meshEncoder, builder, mesh]) encoder.destroy(object)
  const draco = { bufferView: 0, attributes: { POSITION: 0, _WIDE: wide } }
  return oneMeshGlb(
    [
      {
        attributes: { POSITION: 0, _WIDE: 1 },
        indices: 2,
        extensions: { KHR_draco_mesh_compression: draco }
      }
    ],
    {
      extensionsUsed: ['KHR_draco_mesh_compression'],
      extensionsRequired: ['KHR_draco_mesh_compression'],
      accessors: [
        { componentType: 5126, count: points, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] },
        { componentType: 5126, count: points, type: 'SCALAR' },
        { componentType: 5125, count: 3, type: 'SCALAR' }
      ],
      bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: length }],
      buffers: [{ byteLength: stream.length }]
    },
    stream
  )
}

/**
 * A strip of `segments` quads bent by two joints (JOINTS_0 and WEIGHTS_0, a skin), with an animation
 * that turns the second joint, and, with `morph`, a morph target that lifts the strip's far end,
 * whose weight the animation also drives.
 */
export async function animatedGlb(
  segments: number,
  options: { morph?: boolean } = {}
): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const accessor = (type: Parameters<Accessor['setType']>[0], array: TypedArray) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer)
  const strip = stripGeometry(segments)
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', strip.positions))
    .setAttribute('NORMAL', accessor('VEC3', strip.normals))
    .setAttribute('JOINTS_0', accessor('VEC4', strip.joints))
    .setAttribute('WEIGHTS_0', accessor('VEC4', strip.weights))
    .setIndices(accessor('SCALAR', strip.indices))
    .setMaterial(document.createMaterial('strip'))
  const mesh = document.createMesh('strip').addPrimitive(primitive)
  if (options.morph) {
    const lift = document
      .createPrimitiveTarget('lift')
      .setAttribute('POSITION', accessor('VEC3', strip.lift))
    primitive.addTarget(lift)
    mesh.setWeights([0])
  }
  const root = document.createNode('root')
  const bend = document.createNode('bend').setTranslation([0, 0, 5])
  root.addChild(bend)
  const inverseBinds = new Float32Array([
    ...[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    ...[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -5, 1]
  ])
  const skin = document
    .createSkin('strip')
    .addJoint(root)
    .addJoint(bend)
    .setInverseBindMatrices(accessor('MAT4', inverseBinds))
  const body = document.createNode('strip').setMesh(mesh).setSkin(skin)
  document.createScene().addChild(root).addChild(body)
  addAnimation(document, buffer, bend, options.morph ? body : undefined)
  return Buffer.from(await new NodeIO().writeBinary(document))
}

interface Strip {
  positions: Float32Array<ArrayBuffer>
  normals: Float32Array<ArrayBuffer>
  joints: Uint8Array<ArrayBuffer>
  weights: Float32Array<ArrayBuffer>
  lift: Float32Array<ArrayBuffer>
  indices: Uint16Array<ArrayBuffer>
}

/** Two rows of vertices along z from 0 to 10, weighted from the first joint to the second. */
function stripGeometry(segments: number): Strip {
  const count = (segments + 1) * 2
  const strip: Strip = {
    positions: new Float32Array(count * 3),
    normals: new Float32Array(count * 3),
    joints: new Uint8Array(count * 4),
    weights: new Float32Array(count * 4),
    lift: new Float32Array(count * 3),
    indices: new Uint16Array(segments * 6)
  }
  for (let step = 0; step <= segments; step++) {
    const along = step / segments
    for (let side = 0; side < 2; side++) {
      const vertex = step * 2 + side
      strip.positions.set([side, 0, along * 10], vertex * 3)
      strip.normals.set([0, 1, 0], vertex * 3)
      strip.joints.set([0, 1, 0, 0], vertex * 4)
      strip.weights.set([1 - along, along, 0, 0], vertex * 4)
      strip.lift.set([0, along * along, 0], vertex * 3)
    }
  }
  for (let step = 0; step < segments; step++) {
    const at = step * 2
    strip.indices.set([at, at + 2, at + 1, at + 1, at + 2, at + 3], step * 6)
  }
  return strip
}

/** One second: the joint turns a quarter round about x; the morph target's weight goes to 1. */
function addAnimation(
  document: Document,
  buffer: GltfBuffer,
  joint: ReturnType<Document['createNode']>,
  morphed?: ReturnType<Document['createNode']>
): void {
  const accessor = (type: Parameters<Accessor['setType']>[0], values: number[]) =>
    document.createAccessor().setType(type).setArray(new Float32Array(values)).setBuffer(buffer)
  const times = accessor('SCALAR', [0, 1])
  const turn = document
    .createAnimationSampler()
    .setInput(times)
    .setOutput(accessor('VEC4', [0, 0, 0, 1, Math.SQRT1_2, 0, 0, Math.SQRT1_2]))
  const animation = document
    .createAnimation('bend')
    .addSampler(turn)
    .addChannel(
      document
        .createAnimationChannel()
        .setTargetNode(joint)
        .setTargetPath('rotation')
        .setSampler(turn)
    )
  if (!morphed) return
  const weights = document
    .createAnimationSampler()
    .setInput(times)
    .setOutput(accessor('SCALAR', [0, 1]))
  animation
    .addSampler(weights)
    .addChannel(
      document
        .createAnimationChannel()
        .setTargetNode(morphed)
        .setTargetPath('weights')
        .setSampler(weights)
    )
}

/** A PNG of one colour, `side` × `side`. */
export function solidPng(side: number, [red, green, blue]: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + side * 3)
  for (let x = 0; x < side; x++) row.set([red, green, blue], 1 + x * 3)
  return rgbPng(
    [side, side],
    Array.from({ length: side }, () => row)
  )
}

/** A cube of `size` metres, each face textured with `texture`, for the previews' tests. */
export async function texturedCubeGlb(texture: Buffer, size = 1): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const positions: number[] = []
  const normals: number[] = []
  const uvs: number[] = []
  const indices: number[] = []
  for (const [axis, sign] of [0, 1, 2].flatMap(axis => [
    [axis, 1],
    [axis, -1]
  ])) {
    const [u, v] = [(axis + 1) % 3, (axis + 2) % 3]
    const base = positions.length / 3
    for (const [a, b] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1]
    ]) {
      const corner = [0, 0, 0]
      corner[axis] = (sign * size) / 2
      corner[u] = (a * size) / 2
      corner[v] = (b * size) / 2
      const normal = [0, 0, 0]
      normal[axis] = sign
      positions.push(...corner)
      normals.push(...normal)
      uvs.push((a + 1) / 2, (b + 1) / 2)
    }
    const quad = sign > 0 ? [0, 1, 2, 0, 2, 3] : [0, 2, 1, 0, 3, 2]
    indices.push(...quad.map(index => base + index))
  }
  const accessor = (type: 'VEC3' | 'VEC2' | 'SCALAR', array: TypedArray) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer)
  const image = document.createTexture('face').setImage(texture).setMimeType('image/png')
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array(positions)))
    .setAttribute('NORMAL', accessor('VEC3', new Float32Array(normals)))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array(uvs)))
    .setIndices(accessor('SCALAR', new Uint16Array(indices)))
    .setMaterial(document.createMaterial('face').setBaseColorTexture(image))
  const mesh = document.createMesh('cube').addPrimitive(primitive)
  document.createScene().addChild(document.createNode('cube').setMesh(mesh))
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/** A small terrain whose texture's header declares 30,000 × 30,000 pixels: 3.6 GB decoded. */
export function textureBombGlb(): Promise<Buffer> {
  return terrainGlb(2, patternPng(16, [30_000, 30_000]))
}

/**
 * One triangle that claims Draco-compressed geometry (KHR_draco_mesh_compression, required) and
 * holds 16 zero bytes instead: valid for the Khronos validator, which does not decode it, and
 * refused by Draco's decoder.
 */
export function dracoGlb(points = 3): Buffer {
  return oneMeshGlb(
    [
      {
        attributes: { POSITION: 0 },
        extensions: {
          KHR_draco_mesh_compression: { bufferView: 0, attributes: { POSITION: 0 } }
        }
      }
    ],
    {
      extensionsUsed: ['KHR_draco_mesh_compression'],
      extensionsRequired: ['KHR_draco_mesh_compression'],
      accessors: [
        { componentType: 5126, count: points, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] }
      ],
      bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: 16 }],
      buffers: [{ byteLength: 16 }]
    },
    Buffer.alloc(16)
  )
}

/**
 * Points whose POSITION accessor has no buffer view, which glTF reads as zeros: valid, a few bytes
 * of JSON, and `count` × 3 values for a reader that fills them in.
 */
export function zeroFilledGlb(count: number): Buffer {
  return oneMeshGlb([{ attributes: { POSITION: 0 }, mode: 0 }], {
    accessors: [{ componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] }]
  })
}

/** A GLB of one node that draws one mesh of these primitives, with the rest of its JSON as given. */
function oneMeshGlb(primitives: object[], rest: object, binary?: Buffer): Buffer {
  const json = {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ primitives }],
    ...rest
  }
  return glbOf(Buffer.from(JSON.stringify(json)), binary)
}

/** How `layeredGlb` lays its views, accessors and images over 1,200 bytes of data. */
export interface Layers {
  /** Views over the same 1,200 bytes (1 unless said); accessor k lies in view k modulo this. */
  views?: number
  byteStride?: number
  accessors: number
  /** Images in view 0, which a reader copies each. */
  images?: number
  /** Elements of a sparse substitution on accessor 0, its indices and values in view 0. */
  sparseCount?: number
  /** The buffer as a data URI instead of the GLB's binary chunk. */
  dataUri?: boolean
}

/**
 * Points whose accessors of 100 positions each lie over views of the same 1,200 bytes, with the
 * stride given: 0 reads one element over and over, and accessors, views and images laid over one
 * another read the bytes many times. Hostile inputs for the optimiser, which the Khronos validator
 * refuses; a file past 32 MiB would skip it. One view and one or two accessors are a valid model.
 */
export function layeredGlb(layers: Layers): Buffer {
  const { views = 1, byteStride, accessors, images = 0, sparseCount, dataUri = false } = layers
  const stride = byteStride === undefined ? {} : { byteStride }
  const view = { buffer: 0, byteOffset: 0, byteLength: 1200, ...stride }
  const sparse = (index: number) =>
    index === 0 && sparseCount !== undefined
      ? {
          sparse: {
            count: sparseCount,
            indices: { bufferView: 0, componentType: 5125 },
            values: { bufferView: 0 }
          }
        }
      : {}
  const position = (index: number) => ({
    bufferView: index % views,
    componentType: 5126,
    count: 100,
    type: 'VEC3',
    min: [0, 0, 0],
    max: [0, 0, 0],
    ...sparse(index)
  })
  const data = Buffer.alloc(1200)
  return oneMeshGlb(
    Array.from({ length: accessors }, (_, index) => ({
      attributes: { POSITION: index },
      mode: 0
    })),
    {
      accessors: Array.from({ length: accessors }, (_, index) => position(index)),
      ...(images > 0
        ? {
            images: Array.from({ length: images }, () => ({ bufferView: 0, mimeType: 'image/png' }))
          }
        : {}),
      bufferViews: Array.from({ length: views }, () => view),
      buffers: [
        dataUri
          ? {
              byteLength: 1200,
              uri: `data:application/octet-stream;base64,${data.toString('base64')}`
            }
          : { byteLength: 1200 }
      ]
    },
    dataUri ? undefined : data
  )
}

/**
 * Points in a view compressed with EXT_meshopt_compression that declares `count` elements of 12
 * bytes, over a stream of 16 bytes: a reader that decodes it first allocates what it declares.
 */
export function meshoptBombGlb(count: number): Buffer {
  const declared = count * 12
  const stream = {
    buffer: 0,
    byteOffset: 0,
    byteLength: 16,
    byteStride: 12,
    count,
    mode: 'ATTRIBUTES'
  }
  return oneMeshGlb(
    [{ attributes: { POSITION: 0 }, mode: 0 }],
    {
      extensionsUsed: ['EXT_meshopt_compression'],
      extensionsRequired: ['EXT_meshopt_compression'],
      accessors: [
        { bufferView: 0, componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [0, 0, 0] }
      ],
      bufferViews: [
        {
          buffer: 1,
          byteOffset: 0,
          byteLength: declared,
          byteStride: 12,
          extensions: { EXT_meshopt_compression: stream }
        }
      ],
      buffers: [
        { byteLength: 16 },
        { byteLength: declared, extensions: { EXT_meshopt_compression: { fallback: true } } }
      ]
    },
    Buffer.alloc(16)
  )
}
