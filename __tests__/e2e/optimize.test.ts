// `optimize` as the runner runs the bundle: the optimiser's own bundle (dist/optimizer-worker/) and
// the codecs' WebAssembly beside it (Draco's too) are found and used, and the model is written
// smaller, the same bytes on every runner. What the optimiser does is tested in-process
// (__tests__/engine/optimize.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { patternPng, terrainGlb } from '../../harness/optimizable.ts'
import { filesOutput, log, pull } from '../support.ts'

const QUADS = 64
/** What the web preset makes of the terrain below, with the pinned codecs. */
const OPTIMIZED_SHA256 = '166eaa51b95b611f3642e7e37fd43f7e3543d216ab8c7db5822f1e56a77760a6'
/** What Draco and simplifying to half make of it, with the pinned codecs. */
const DRACO_SIMPLIFIED_SHA256 = '34de38676a8e4a51111590a609606fa15bde39b985a515aa6f49c06f6d4ec709'
let emulator: Emulator
let terrain: Buffer

beforeAll(async () => {
  terrain = await terrainGlb(QUADS, patternPng(256))
  emulator = await startEmulator({
    entries: [{ id: 'terrain', filename: 'terrain.glb', derived: [], uploads: [terrain] }]
  })
})
afterAll(() => emulator.close())

describe('optimize: true, in the built action', () => {
  it('writes the model smaller, with every triangle, through the bundled optimiser', async () => {
    const result = await pull(emulator, { entries: 'terrain', optimize: 'true' })
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    expect(file.bytes).toBeLessThan(terrain.length / 2)
    // The same bytes on every runner: Linux here, Windows and macOS in CI.
    expect(file.sha256).toBe(OPTIMIZED_SHA256)
    expect(file.model).toEqual(expect.objectContaining({ triangles: QUADS * QUADS * 2 }))
    expect(file.optimized).toEqual(
      expect.objectContaining({ source: expect.objectContaining({ bytes: terrain.length }) })
    )
  })

  it('compresses with Draco and simplifies through the bundled optimiser', async () => {
    const optimize = 'geometry: draco\nsimplify: 0.5'
    const result = await pull(emulator, { entries: 'terrain', optimize })
    expect(log(result)).not.toMatch(/::error::/)
    const [file] = filesOutput(result)
    expect(file.sha256).toBe(DRACO_SIMPLIFIED_SHA256)
    expect(file.model?.triangles).toBeLessThan(QUADS * QUADS * 2 * 0.6)
    expect(file.model?.extensions).toContain('KHR_draco_mesh_compression')
  })
})
