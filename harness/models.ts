// Real model files for the tests of what the action reads inside models: GLBs made with
// glTF-Transform, whose statistics are known, broken ones that only a validator or a careful
// reader catches, and an instanced scene whose triangles multiply out to millions.

import { Document, NodeIO } from '@gltf-transform/core'
import { makePng, makeSample, makeUsdzArchive } from '../emulator/samples.ts'
import type { EntrySpec } from '../emulator/server.ts'

interface ModelShape {
  triangles: number
  texture: [number, number]
  /** Metres per model unit: 100 is a model exported in centimetres read as metres. */
  scale: number
}

/** A chair of 12 triangles with a 256×256 texture, in a 1 m box. */
const SMALL_CHAIR = { triangles: 12, texture: [256, 256], scale: 1 } satisfies ModelShape
/** The same chair re-exported: 48 triangles, a 2048×2048 texture, and in centimetres. */
const BIG_CHAIR = { triangles: 48, texture: [2048, 2048], scale: 100 } satisfies ModelShape

/** A GLB with a mesh of a known triangle count in a 1 m box, and a PNG texture of a known size. */
async function modelGlb(shape: ModelShape): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const positions = new Float32Array(shape.triangles * 9)
  for (let triangle = 0; triangle < shape.triangles; triangle++) {
    positions.set([0, 0, 0, 1, 0, 0, 0, 1, 1], triangle * 9)
  }
  const position = document.createAccessor().setType('VEC3').setArray(positions).setBuffer(buffer)
  const uvs = document
    .createAccessor()
    .setType('VEC2')
    .setArray(new Float32Array(shape.triangles * 6))
    .setBuffer(buffer)
  const texture = document
    .createTexture('base colour')
    .setImage(makePng(...shape.texture))
    .setMimeType('image/png')
  const material = document.createMaterial('paint').setBaseColorTexture(texture)
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', position)
    .setAttribute('TEXCOORD_0', uvs)
    .setMaterial(material)
  const mesh = document.createMesh('chair').addPrimitive(primitive)
  const node = document
    .createNode('chair')
    .setMesh(mesh)
    .setScale([shape.scale, shape.scale, shape.scale])
  document.createScene().addChild(node)
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/** The sample GLB with its JSON edited in place, keeping every length. */
function editedGlb(from: string, to: string): Buffer {
  const text = makeSample('glb', 'Broken').toString('latin1')
  if (!text.includes(from) || from.length !== to.length) {
    throw new Error(`cannot replace ${from} with ${to} in the sample GLB`)
  }
  return Buffer.from(text.replace(from, to), 'latin1')
}

/** A GLB whose one texture claims to be a PNG and is text. */
async function lyingImageGlb(): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const positions = document
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
    .setBuffer(buffer)
  const lie = document
    .createTexture('lie')
    .setImage(Buffer.from('not a picture at all'))
    .setMimeType('image/png')
  const mesh = document
    .createMesh()
    .addPrimitive(
      document
        .createPrimitive()
        .setAttribute('POSITION', positions)
        .setMaterial(document.createMaterial().setBaseColorTexture(lie))
    )
  document.createScene().addChild(document.createNode().setMesh(mesh))
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/**
 * A collection of models to review: `chair` (SMALL_CHAIR, then BIG_CHAIR when uploaded again),
 * `big-chair`, a plain `lamp`, a USDZ that packs textures, and four GLBs that must fail: bounds
 * that lie, JSON that is not, an accessor larger than its buffer, and an image that is not one.
 */
export async function modelEntries(): Promise<EntrySpec[]> {
  return [
    {
      id: 'chair',
      filename: 'Chair.glb',
      derived: [],
      uploads: [await modelGlb(SMALL_CHAIR), await modelGlb(BIG_CHAIR)]
    },
    { id: 'lamp', filename: 'Lamp.glb', derived: [] },
    {
      id: 'packed',
      filename: 'Packed.usdz',
      derived: [],
      uploads: [
        makeUsdzArchive([
          { name: 'model.usda', data: Buffer.from('#usda 1.0\n') },
          { name: 'textures/wood.png', data: makePng(512, 256) },
          { name: 'textures/tiny.png', data: makePng(8, 8) }
        ])
      ]
    },
    {
      id: 'big-chair',
      filename: 'Big Chair.glb',
      derived: [],
      uploads: [await modelGlb(BIG_CHAIR)]
    },
    {
      id: 'wrong-bounds',
      filename: 'Bounds.glb',
      derived: [],
      uploads: [editedGlb('"max":[1,1,0]', '"max":[2,1,0]')]
    },
    {
      id: 'corrupt-json',
      filename: 'Corrupt.glb',
      derived: [],
      uploads: [editedGlb('{"asset"', '["asset"')]
    },
    {
      id: 'absurd-count',
      filename: 'Absurd.glb',
      derived: [],
      uploads: [editedGlb('"count":3', '"count":9')]
    },
    { id: 'lying-image', filename: 'Lying.glb', derived: [], uploads: [await lyingImageGlb()] }
  ]
}

/** Budgets that `big-chair` breaks twice (its texture's size and its box), and no other model. */
export const BIG_CHAIR_BUDGETS =
  'triangles: 40\nglb.triangles: 100\ntexture-size: 1024\nbounding-box: 10'

/** What a pull of `big-chair` reports over those budgets. */
export const BIG_CHAIR_BREACHES = [
  {
    path: 'assets/echo3d/Big Chair.glb',
    format: 'glb',
    limit: 'texture-size',
    max: 1024,
    actual: 2048
  },
  {
    path: 'assets/echo3d/Big Chair.glb',
    format: 'glb',
    limit: 'bounding-box',
    max: 10,
    actual: 100
  }
]

/**
 * A valid GLB of one triangle, drawn `primitives` times by one mesh (its primitives share their
 * accessors), which `nodes` nodes place side by side, a metre apart along x: nodes × primitives
 * triangles from a file that stays small.
 */
export function instancedGlb(nodes: number, primitives: number): Buffer {
  const positions = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer)
  const indices = Buffer.alloc(8)
  ;[0, 1, 2].forEach((vertex, index) => indices.writeUInt16LE(vertex, index * 2))
  const binary = Buffer.concat([positions, indices])
  const nodeIndices = Array.from({ length: nodes }, (_node, index) => index)
  const json = {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: nodeIndices }],
    nodes: nodeIndices.map(index => ({ mesh: 0, translation: [index, 0, 0] })),
    meshes: [{ primitives: Array(primitives).fill({ attributes: { POSITION: 0 }, indices: 1 }) }],
    accessors: [
      {
        bufferView: 0,
        componentType: 5126,
        count: 3,
        type: 'VEC3',
        min: [0, 0, 0],
        max: [1, 1, 0]
      },
      { bufferView: 1, componentType: 5123, count: 3, type: 'SCALAR' }
    ],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: 36, target: 34962 },
      { buffer: 0, byteOffset: 36, byteLength: 6, target: 34963 }
    ],
    buffers: [{ byteLength: binary.length }]
  }
  return glbOf(Buffer.from(JSON.stringify(json)), binary)
}

/** A GLB of this JSON and binary chunk, the JSON padded with spaces to 4 bytes. */
export function glbOf(json: Buffer, binary?: Buffer): Buffer {
  const paddedJson = Buffer.concat([json, Buffer.alloc((4 - (json.length % 4)) % 4, 0x20)])
  const chunks = [
    glbChunk(paddedJson, 0x4e4f534a),
    ...(binary ? [glbChunk(binary, 0x004e4942)] : [])
  ]
  const header = Buffer.alloc(12)
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(12 + chunks.reduce((total, chunk) => total + chunk.length, 0), 8)
  return Buffer.concat([header, ...chunks])
}

function glbChunk(data: Buffer, type: number): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32LE(data.length, 0)
  header.writeUInt32LE(type, 4)
  return Buffer.concat([header, data])
}

/** An entry whose upload is the instanced scene of 4,000 nodes × 4,000 primitives. */
export function instancedEntry(): { id: string; filename: string; derived: []; uploads: Buffer[] } {
  return {
    id: 'instanced',
    filename: 'Instanced.glb',
    derived: [],
    uploads: [instancedGlb(4_000, 4_000)]
  }
}
