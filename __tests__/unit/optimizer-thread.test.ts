// The optimiser's thread takes one model at a time; a model waiting its turn holds no bytes, and
// one whose time runs out while it waits fails saying so, without being read.
import { describe, expect, it, jest } from '@jest/globals'
import { gltfOf, patternPng, terrainGlb } from '../../harness/optimizable.ts'
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
})
