// The optimiser's thread takes one model at a time; a model waiting its turn holds no bytes, and
// one whose time runs out while it waits fails saying so, without being read.
import { describe, expect, it, jest } from '@jest/globals'
import {
  gltfOf,
  meshoptBombGlb,
  patternPng,
  stridedGlb,
  terrainGlb
} from '../../harness/optimizable.ts'
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
  it('refuses accessors that read past their data, whatever the validator did', async () => {
    const refusal = (glb: Buffer) =>
      optimizeOnThread(() => Promise.resolve(new Uint8Array(glb)), MODEL, Deadline.after(60_000))
    await expect(refusal(meshoptBombGlb(30_000_000))).rejects.toThrow(
      'reading the model to optimise: its compressed geometry (Draco, meshopt) declares 90,000,000 values, more than the 67,108,864 the optimiser decodes'
    )
    await expect(refusal(stridedGlb({ byteStride: 0, accessors: 1 }))).rejects.toThrow(
      'reading the model to optimise: accessor 0 reads past its buffer view, or has no valid stride'
    )
    await expect(refusal(stridedGlb({ accessors: 3 }))).rejects.toThrow(
      'reading the model to optimise: its accessors read 3,600 bytes from buffer views that hold 1,200'
    )
    await expect(refusal(stridedGlb({ accessors: 2 }))).resolves.toBeInstanceOf(Uint8Array)
  })
})
