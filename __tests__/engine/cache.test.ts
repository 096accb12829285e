// The runner's tool cache behind the engine's cache port, as the action chooses it off GitHub-hosted
// runners (src/action/cache.ts): a second run on the same runner transfers nothing. Each test has
// a tool cache of its own, under RUNNER_TOOL_CACHE as the runner sets it.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { pullSummary, pullWith } from '../../harness/engine.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import { listFiles, sha256, sharedEmulator, transfers } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const emulator = sharedEmulator()

// Not a GitHub-hosted runner, even when the tests run on one: there the Actions cache is chosen.
const restoreEnvironment = setEnvironment({
  RUNNER_ENVIRONMENT: undefined,
  RUNNER_TOOL_CACHE: undefined
})
afterAll(restoreEnvironment)
let toolCache = ''
beforeEach(async () => {
  toolCache = await scratchFolder('tool-cache')
  process.env.RUNNER_TOOL_CACHE = toolCache
})

/** A run on this runner: the cache is the one the action picks from the inputs. */
const pullOnRunner = (inputs: Record<string, string>) =>
  pullWith(emulator(), { inputs, cache: 'runner' })

describe('the tool cache', () => {
  it('serves a second run on the same runner without any file transfer', async () => {
    const inputs = { entries: `${DESK_LAMP}: glb, original\n${ROBOT}: usdz` }
    const first = await pullOnRunner(inputs)
    expect(first.report.failures).toEqual([])
    expect(first.report.files.filter(file => file.source === 'cache')).toEqual([])
    expect(transfers(emulator())).toBe(5)

    emulator().requests.splice(0)
    const second = await pullOnRunner(inputs)
    expect(second.report.failures).toEqual([])
    expect(transfers(emulator())).toBe(0)
    const { files } = second.report
    expect(files.map(file => file.source)).toEqual(Array(5).fill('cache'))
    expect(files.map(file => [file.path, file.sha256])).toEqual(
      first.report.files.map(file => [file.path, file.sha256])
    )
    for (const file of files) {
      expect(sha256(await readFile(path.join(second.workspace, file.path)))).toBe(file.sha256)
    }
    expect(await pullSummary(second)).toContain('<td>cache</td>')
  })

  it('caches a conversion under the storage ID echo3D gave it', async () => {
    const inputs = { entries: `${CHAIR}: gltf`, 'convert-missing': 'true' }
    const first = await pullOnRunner(inputs)
    expect(first.report.files[0]).toEqual(
      expect.objectContaining({
        source: 'conversion',
        storageId: emulator().storageIdOf(CHAIR, 'gltf')
      })
    )

    emulator().requests.splice(0)
    const second = await pullOnRunner(inputs)
    expect(transfers(emulator())).toBe(0)
    expect(second.report.files[0].source).toBe('cache')
  })

  it('downloads again when a cached copy was tampered with', async () => {
    const first = await pullOnRunner({ entries: ROBOT })
    const cached = (await listFiles(toolCache)).filter(file => file.endsWith('/asset'))
    expect(cached).toHaveLength(1)
    await writeFile(path.join(toolCache, cached[0]), Buffer.alloc(first.report.files[0].bytes, 1))

    emulator().requests.splice(0)
    const second = await pullOnRunner({ entries: ROBOT })
    expect(second.report.failures).toEqual([])
    expect(second.log()).toMatch(/The cached copy of .* failed its check/)
    expect(second.report.files[0].source).toBe('download')
    expect(second.report.files[0].sha256).toBe(first.report.files[0].sha256)
  })

  it('is neither read nor written with cache: false', async () => {
    const unused = await pullOnRunner({ entries: DESK_LAMP, cache: 'false' })
    expect(unused.report.files).toHaveLength(1)
    expect(await listFiles(toolCache)).toEqual([])

    await pullOnRunner({ entries: ROBOT })
    emulator().requests.splice(0)
    const second = await pullOnRunner({ entries: ROBOT, cache: 'false' })
    expect(transfers(emulator())).toBe(1)
    expect(second.report.files[0].source).toBe('download')
  })
})
