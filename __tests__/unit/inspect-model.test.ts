// What a model holds, read from the file that was written: small and large, valid and broken.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Document, NodeIO } from '@gltf-transform/core'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { makePng, makeSample, makeUsdzArchive } from '../../emulator/samples.ts'
import type { FileKind } from '../../src/formats.ts'
import { TimeoutError } from '../../src/errors.ts'
import { Deadline } from '../../src/engine/models/deadline.ts'
import { inspectModel } from '../../src/engine/models/inspect.ts'
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

async function written(name: string, bytes: Buffer): Promise<string> {
  const filePath = path.join(workspace, name)
  await writeFile(filePath, bytes)
  return filePath
}

function inspect(filePath: string, kind: FileKind, deadline = Deadline.after(60_000)) {
  return inspectModel(new WorkspaceFolders(workspace), filePath, kind, deadline)
}

/** A deadline `timeoutMs` away on a clock that moves on by a millisecond each time it is read. */
function countingDeadline(timeoutMs: number): Deadline {
  let now = 0
  return Deadline.after(timeoutMs, () => now++)
}

describe('inspectModel', () => {
  it.each([
    ['the sample glTF', 'gltf', () => makeSample('gltf', 'Lamp', 20_000), 1],
    ['a binary STL', 'stl', () => makeSample('stl', 'Part', 5_000), 99],
    ['an OBJ', 'obj', () => makeSample('obj', 'Crate', 5_000), 1]
  ] as const)('counts what %s holds', async (_name, kind, make, triangles) => {
    const inspection = await inspect(await written(`small.${kind}`, make()), kind)
    expect(inspection.model?.triangles).toBeGreaterThanOrEqual(triangles)
  })

  it('reads a textured GLB the way the scene draws it, and has it validated', async () => {
    const inspection = await inspect(await written('textured.glb', await texturedGlb()), 'glb')
    expect(inspection.model).toMatchObject({
      triangles: 2,
      vertices: 6,
      textures: 1,
      largestTexture: [64, 32],
      size: [2, 3, 4]
    })
    expect(inspection.validation?.warnings).toBeDefined()
  })

  it('reads a large GLB in pieces, and says it is too large to validate', async () => {
    const bytes = makeSample('glb', 'Hangar', 40 * 1024 * 1024)
    const inspection = await inspect(await written('large.glb', bytes), 'glb')
    expect(inspection.model?.triangles).toBe(1)
    expect(inspection.validation?.skipped).toMatch(/larger than the 32.0 MiB/)
  })

  it('fails a file that vanished, and says nothing of a file that is not a model', async () => {
    await expect(inspect(path.join(workspace, 'gone.glb'), 'glb')).rejects.toThrow('vanished')
    expect(await inspect(path.join(workspace, 'absent.fbx'), 'fbx')).toEqual({})
  })

  it('fails a GLB whose JSON is broken', async () => {
    const glb = makeSample('glb', 'Broken')
    const broken = Buffer.from(glb.toString('latin1').replace('"asset"', '"asset'), 'latin1')
    await expect(inspect(await written('broken.glb', broken), 'glb')).rejects.toThrow(
      /its JSON chunk is not valid JSON/
    )
  })

  it.each([
    ['a USDZ whose zip directory lists many entries', 'usdz', manyEntriesUsdz],
    ['an OBJ of many chunks', 'obj', () => makeSample('obj', 'Long', 16 * 1024 * 1024)]
  ] as const)('stops reading %s at the deadline', async (_name, kind, make) => {
    const filePath = await written(`long.${kind}`, make())
    await expect(inspect(filePath, kind, countingDeadline(10))).rejects.toThrow(TimeoutError)
  })

  it('fails a USDZ cut short before its zip directory', async () => {
    const usdz = makeSample('usdz', 'Cut')
    const filePath = await written('cut.usdz', usdz.subarray(0, usdz.length - 30))
    await expect(inspect(filePath, 'usdz')).rejects.toThrow(/it is not a readable USDZ \(zip\)/)
  })
})

/** A USDZ of 1,000 tiny textures: a directory the file, not the reader, decides the length of. */
function manyEntriesUsdz(): Buffer {
  const png = makePng(1, 1)
  return makeUsdzArchive(
    Array.from({ length: 1_000 }, (_file, index) => ({ name: `t/${index}.png`, data: png }))
  )
}
