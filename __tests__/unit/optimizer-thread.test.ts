// The optimiser's thread takes one model at a time; a model waiting its turn holds no bytes, and
// one whose time runs out while it waits fails saying so, without being read.
import { describe, expect, it, jest } from '@jest/globals'
import { patternPng, terrainGlb } from '../../harness/optimizable.ts'
import { Deadline } from '../../src/engine/models/deadline.ts'
import { optimizeOnThread } from '../../src/engine/optimize/optimizer.ts'
import { TimeoutError } from '../../src/errors.ts'

const SETTINGS = {
  geometry: 'meshopt',
  textures: 'webp',
  textureSize: 2048,
  textureQuality: 80
} as const

describe('optimizeOnThread', () => {
  it('reads a waiting model only when the thread is free, and not at all once its time is up', async () => {
    const terrain = await terrainGlb(64, patternPng(256))
    const first = optimizeOnThread(
      () => Promise.resolve(new Uint8Array(terrain)),
      SETTINGS,
      Deadline.after(60_000)
    )
    const read = jest.fn(() => Promise.resolve(new Uint8Array(terrain)))
    const second = optimizeOnThread(read, SETTINGS, Deadline.after(1))
    expect((await first).byteLength).toBeLessThan(terrain.length)
    await expect(second).rejects.toThrow(TimeoutError)
    await expect(second).rejects.toThrow(/ran out while it waited for the optimiser/)
    expect(read).not.toHaveBeenCalled()
  })
})
