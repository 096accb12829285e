// `optimize` as the runner runs the bundle: the optimiser's own bundle (dist/optimizer-worker/) and
// the codecs' WebAssembly beside it (Draco's too) are found and used, and the model is written
// smaller, the same bytes on every runner. What the optimiser does is tested in-process
// (__tests__/engine/optimize.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { patternPng, terrainGlb } from '../../harness/optimizable.ts'
import { emulatorVariables, runCli, scratchFolder } from '../../harness/runner.ts'
import { filesOutput, LOCKFILE, log, pull } from '../support.ts'

const QUADS = 64
/** What the web preset makes of the terrain below, with the pinned codecs. */
const OPTIMIZED_SHA256 = '166eaa51b95b611f3642e7e37fd43f7e3543d216ab8c7db5822f1e56a77760a6'
/** What Draco, simplifying to half and AVIF textures make of it, with the pinned codecs. */
const DRACO_SIMPLIFIED_SHA256 = 'a23baa17ecc158c06799cf5d06d6c3b0d7554fb7c838e56cbca78e0e409f7dde'
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

  it('compresses with Draco, simplifies and writes AVIF through the bundled optimiser', async () => {
    const optimize = 'geometry: draco\nsimplify: 0.5\ntextures: avif'
    const result = await pull(emulator, { entries: 'terrain', optimize })
    expect(log(result)).not.toMatch(/::error::/)
    const [file] = filesOutput(result)
    expect(file.sha256).toBe(DRACO_SIMPLIFIED_SHA256)
    expect(file.model?.triangles).toBeLessThan(QUADS * QUADS * 2 * 0.6)
    expect(file.model?.extensions).toEqual(
      expect.arrayContaining(['EXT_texture_avif', 'KHR_draco_mesh_compression'])
    )
    const lockfile = await readFile(path.join(result.workspace, LOCKFILE), 'utf8')
    const cli = await cliPull(['--entries', 'terrain', '--optimize', optimize])
    expect(cli.lockfile).toBe(lockfile)
    expect(cli.sha256).toBe(DRACO_SIMPLIFIED_SHA256)
  })
})

/** The CLI's pull in a fresh repository: its lockfile, and the written terrain's SHA-256. */
async function cliPull(args: string[]): Promise<{ lockfile: string; sha256: string }> {
  const root = path.join(await scratchFolder('optimize-cli'), 'repo')
  await mkdir(root, { recursive: true })
  execFileSync('git', ['init', '-q', root])
  const result = await runCli(['pull', ...args], { cwd: root, env: emulatorVariables(emulator) })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const written = await readFile(path.join(root, 'assets', 'echo3d', 'terrain.glb'))
  return {
    lockfile: await readFile(path.join(root, LOCKFILE), 'utf8'),
    sha256: createHash('sha256').update(written).digest('hex')
  }
}
