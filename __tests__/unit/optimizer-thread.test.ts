// The optimiser's thread takes one model at a time; a model waiting its turn holds no bytes, and
// one whose time runs out while it waits fails saying so, without being read.
import { describe, expect, it, jest } from '@jest/globals'
import {
  dracoWideAttributeGlb,
  gltfOf,
  meshoptBombGlb,
  patternPng,
  layeredGlb,
  terrainGlb
} from '../../harness/optimizable.ts'
import { glbOf } from '../../harness/models.ts'
import { Deadline } from '../../src/engine/models/deadline.ts'
import { optimizeOnThread } from '../../src/engine/optimize/optimizer.ts'
import { TimeoutError } from '../../src/errors.ts'

const MODEL = {
  kind: 'glb',
  settings: { geometry: 'meshopt', textures: 'webp', textureSize: 2048, textureQuality: 80 }
} as const

describe('optimizeOnThread', () => {
  it('reads a waiting model only when the thread is free, and not at all once its time is up', async () => {
    const terrain = await terrainGlb(64, patternPng(256))
    const first = optimizeOnThread(
      () => Promise.resolve(new Uint8Array(terrain)),
      MODEL,
      Deadline.after(60_000)
    )
    const read = jest.fn(() => Promise.resolve(new Uint8Array(terrain)))
    const second = optimizeOnThread(read, MODEL, Deadline.after(1))
    expect((await first).byteLength).toBeLessThan(terrain.length)
    await expect(second).rejects.toThrow(TimeoutError)
    await expect(second).rejects.toThrow(/ran out while it waited for the optimiser/)
    expect(read).not.toHaveBeenCalled()
  })

  it('refuses a glTF that names a file beside it, which it never reads, whatever the validator did', async () => {
    const gltf = await gltfOf(await terrainGlb(2, patternPng(8)), { externalTexture: true })
    const optimized = optimizeOnThread(
      () => Promise.resolve(new Uint8Array(gltf)),
      { ...MODEL, kind: 'gltf' },
      Deadline.after(60_000)
    )
    await expect(optimized).rejects.toThrow(
      'reading the model to optimise: it refers to files beside it; only a glTF with its buffers and images embedded (data URIs) is optimised'
    )
  })

  // Each asks for memory that no limit of the thread's heap bounds, from a file of a few bytes.
  it('refuses accessors, views and images that read past their data, or read it many times, whatever the validator did', async () => {
    const optimized = (model: Buffer, kind: 'glb' | 'gltf' = 'glb') =>
      optimizeOnThread(
        () => Promise.resolve(new Uint8Array(model)),
        { ...MODEL, kind },
        Deadline.after(60_000)
      )
    const reading = 'reading the model to optimise: '
    await expect(optimized(meshoptBombGlb(30_000_000))).rejects.toThrow(
      `${reading}its compressed geometry (Draco, meshopt) declares 90,000,000 values, more than the 67,108,864 the optimiser decodes`
    )
    await expect(optimized(layeredGlb({ byteStride: 0, accessors: 1 }))).rejects.toThrow(
      `${reading}accessor 0 reads past its buffer view, or has no valid stride`
    )
    const readMany = `${reading}its accessors and images read `
    await expect(optimized(layeredGlb({ accessors: 3 }))).rejects.toThrow(
      `${readMany}3,600 bytes from 1,200 bytes of data`
    )
    await expect(optimized(layeredGlb({ views: 10, accessors: 10 }))).rejects.toThrow(
      `${readMany}12,000 bytes from 1,200 bytes of data`
    )
    await expect(optimized(layeredGlb({ accessors: 1, images: 4 }))).rejects.toThrow(
      `${readMany}6,000 bytes from 1,200 bytes of data`
    )
    await expect(optimized(layeredGlb({ accessors: 1, sparseCount: 2 ** 45 }))).rejects.toThrow(
      `${reading}accessor 0's sparse elements lie outside their buffer views`
    )
    // Node's lenient base64 would decode 3 bytes, and views sized by the text would read on into
    // the memory around them.
    const lenient = await gltfOf(layeredGlb({ accessors: 1 }))
    const forged = Buffer.from(
      lenient.toString('utf8').replace(/base64,[A-Za-z0-9+/=]*/, `base64,AAAA,${'A'.repeat(2400)}`)
    )
    await expect(optimized(forged, 'gltf')).rejects.toThrow(
      `${reading}a data URI in it is not base64, as glTF embeds buffers and images`
    )
    // A meshopt view the model does not use (not in extensionsUsed) is read as a plain view, and
    // what it claims to decode to is no room for the others.
    const unused = { buffer: 0, byteLength: 4, count: 1_000_000, byteStride: 256 }
    const inflated = withJson(layeredGlb({ accessors: 3 }), json => {
      json.bufferViews.push({
        buffer: 0,
        byteLength: 4,
        extensions: { EXT_meshopt_compression: unused }
      })
    })
    await expect(optimized(inflated)).rejects.toThrow(
      `${readMany}3,600 bytes from 1,200 bytes of data`
    )
    // A sparse part without an offset of its own starts at its accessor's, as the reader reads it.
    const shifted = withJson(layeredGlb({ accessors: 1, sparseCount: 10 }), json => {
      const [accessor] = json.accessors
      delete accessor.bufferView
      accessor.byteOffset = 1190
    })
    await expect(optimized(shifted)).rejects.toThrow(
      `${reading}accessor 0's sparse elements lie outside their buffer views`
    )
    // 127 components a point, which a SCALAR accessor declares as one.
    await expect(optimized(await dracoWideAttributeGlb(1000, 127))).rejects.toThrow(
      `${reading}mesh 0 primitive 0's Draco stream holds an attribute of another size than its accessor declares`
    )
    for (const model of [
      layeredGlb({ accessors: 2 }),
      layeredGlb({ accessors: 1, dataUri: true })
    ]) {
      await expect(optimized(model)).resolves.toBeInstanceOf(Uint8Array)
    }
  })
})

interface LooseJson {
  accessors: { bufferView?: number; byteOffset?: number }[]
  bufferViews: object[]
}

/** The GLB with its JSON changed, its binary chunk as it was. */
function withJson(glb: Buffer, change: (json: LooseJson) => void): Buffer {
  const jsonLength = glb.readUInt32LE(12)
  const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8')) as LooseJson
  change(json)
  return glbOf(Buffer.from(JSON.stringify(json)), glb.subarray(20 + jsonLength + 8))
}
