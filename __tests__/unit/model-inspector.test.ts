// A small model is inspected from the bytes kept as they arrived, a large one from the file: the
// two must find the same, and the kept bytes must be the only thing read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Document, NodeIO } from '@gltf-transform/core'
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { makePng, makeSample } from '../../emulator/samples.ts'
import type { FileKind } from '../../src/formats.ts'
import { inspectModel, ModelInspector } from '../../src/engine/models/inspect.ts'
import { WorkspaceFolders } from '../../src/engine/workspace.ts'

let workspace: string

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'inspector-'))
})

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true })
})

async function texturedGlb(): Promise<Buffer> {
  const document = new Document()
  const buffer = document.createBuffer()
  const position = document
    .createAccessor()
    .setType('VEC3')
    .setArray(new Float32Array([0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 1, 1, 0, 1, 0]))
    .setBuffer(buffer)
  const uvs = document
    .createAccessor()
    .setType('VEC2')
    .setArray(new Float32Array(12))
    .setBuffer(buffer)
  const texture = document.createTexture().setImage(makePng(64, 32)).setMimeType('image/png')
  const material = document.createMaterial().setBaseColorTexture(texture)
  const primitive = document
    .createPrimitive()
    .setAttribute('POSITION', position)
    .setAttribute('TEXCOORD_0', uvs)
  const mesh = document.createMesh().addPrimitive(primitive.setMaterial(material))
  document.createScene().addChild(document.createNode().setMesh(mesh))
  return Buffer.from(await new NodeIO().writeBinary(document))
}

/** Hands the bytes to an inspector in uneven chunks, as a download would. */
function seenInChunks(bytes: Buffer, kind: FileKind): ModelInspector {
  const inspector = new ModelInspector(new WorkspaceFolders(workspace), kind)
  for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = size * 7 + 3) {
    inspector.see(bytes.subarray(offset, offset + size))
  }
  return inspector
}

async function written(name: string, bytes: Buffer): Promise<string> {
  const filePath = path.join(workspace, name)
  await writeFile(filePath, bytes)
  return filePath
}

describe('ModelInspector', () => {
  it.each([
    ['a textured GLB', 'glb', texturedGlb],
    ['the sample glTF', 'gltf', () => Promise.resolve(makeSample('gltf', 'Lamp', 20_000))],
    ['a binary STL', 'stl', () => Promise.resolve(makeSample('stl', 'Part', 5_000))],
    ['an OBJ', 'obj', () => Promise.resolve(makeSample('obj', 'Crate', 5_000))]
  ] as const)('finds in %s kept in memory what the file holds', async (_name, kind, make) => {
    const bytes = await make()
    const filePath = await written(`small.${kind}`, bytes)
    const fromFile = await inspectModel(new WorkspaceFolders(workspace), filePath, kind)
    expect(fromFile.model).toBeDefined()
    await unlink(filePath)
    const fromMemory = await seenInChunks(bytes, kind).inspect(filePath)
    expect(fromMemory).toEqual(fromFile)
  })

  it('reads the textured GLB the way the scene draws it', async () => {
    const inspection = await seenInChunks(await texturedGlb(), 'glb').inspect('gone.glb')
    expect(inspection.model).toMatchObject({
      triangles: 2,
      vertices: 6,
      textures: 1,
      largestTexture: [64, 32],
      size: [2, 3, 4]
    })
    expect(inspection.validation?.warnings).toBeDefined()
  })

  it('reads a model over 1 MiB from the file, having kept none of it', async () => {
    const bytes = makeSample('glb', 'Hangar', 3 * 1024 * 1024)
    const filePath = await written('large.glb', bytes)
    const expected = await inspectModel(new WorkspaceFolders(workspace), filePath, 'glb')
    expect(await seenInChunks(bytes, 'glb').inspect(filePath)).toEqual(expected)
    await unlink(filePath)
    await expect(seenInChunks(bytes, 'glb').inspect(filePath)).rejects.toThrow('vanished')
  })

  it('keeps nothing of a file that is not a model', async () => {
    const inspector = new ModelInspector(new WorkspaceFolders(workspace), 'fbx')
    inspector.see(makeSample('fbx', 'Rig', 1000))
    expect(await inspector.inspect(path.join(workspace, 'absent.fbx'))).toEqual({})
  })

  it('fails a kept GLB whose JSON is broken, as it would the file', async () => {
    const glb = makeSample('glb', 'Broken')
    const broken = Buffer.from(glb.toString('latin1').replace('"asset"', '"asset'), 'latin1')
    await expect(seenInChunks(broken, 'glb').inspect('gone.glb')).rejects.toThrow(
      /its JSON chunk is not valid JSON/
    )
  })
})

describe('ModelInspector, fed a byte at a time', () => {
  it('keeps the body in one buffer and finds what the file holds', async () => {
    const bytes = await texturedGlb()
    const filePath = await written('bytewise.glb', bytes)
    const expected = await inspectModel(new WorkspaceFolders(workspace), filePath, 'glb')
    await unlink(filePath)
    const inspector = new ModelInspector(new WorkspaceFolders(workspace), 'glb')
    for (let offset = 0; offset < bytes.length; offset++) {
      inspector.see(bytes.subarray(offset, offset + 1))
    }
    expect(await inspector.inspect(filePath)).toEqual(expected)
  })
})
