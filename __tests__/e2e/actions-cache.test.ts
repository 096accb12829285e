// The Actions cache on a GitHub-hosted runner, as the runner sees it: the bundle saves what it
// downloads through the real @actions/cache to the cache service double, and a later run on a
// fresh machine restores it. A service that fails never fails the step, nor holds it.
import { afterEach, describe, expect, it } from '@jest/globals'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { startCacheDouble, type CacheDouble } from '../../doubles/cache-service.ts'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import {
  filesOutput,
  log,
  pull,
  readWorkspaceFile,
  sha256,
  sharedEmulator,
  transfers
} from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const emulator = sharedEmulator()
let service: CacheDouble | undefined
afterEach(() => service?.close())

/** A GitHub-hosted runner: same RUNNER_TEMP path in every run, but a fresh disk and tool cache. */
async function hostedRunner(double: CacheDouble) {
  const runnerTemp = path.join(await scratchFolder('hosted'), '_temp')
  return {
    runnerTemp,
    env: {
      RUNNER_ENVIRONMENT: 'github-hosted',
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${double.url}/`,
      ACTIONS_RUNTIME_TOKEN: double.runtimeToken
    }
  }
}

describe('the Actions cache on GitHub-hosted runners', () => {
  it('restores on a fresh machine what an earlier run saved, and saves only what is new', async () => {
    const double = (service = await startCacheDouble())
    const runner = await hostedRunner(double)
    const first = await pull(emulator(), { entries: ROBOT }, runner)
    expect(log(first)).not.toMatch(/::warning::/)
    expect(first.code).toBe(0)
    expect(double.entries.filter(entry => entry.finalized)).toHaveLength(1)

    await rm(runner.runnerTemp, { recursive: true, force: true })
    emulator().requests.splice(0)
    const second = await pull(emulator(), { entries: `${ROBOT}\n${CHAIR}` }, runner)
    // Shows the whole log if a restore failed, rather than only a count.
    expect(log(second)).not.toMatch(/Failed to (save|restore)|::warning::/)
    expect(second.code).toBe(0)
    expect(second.outputs['cache-hits']).toBe('1')
    expect(filesOutput(second).map(file => [file.path, file.source])).toEqual([
      ['assets/echo3d/Robot.glb', 'cache'],
      ['assets/echo3d/Chair.glb', 'download']
    ])
    for (const file of filesOutput(second)) {
      expect(sha256(await readWorkspaceFile(second, file.path))).toBe(file.sha256)
    }
    expect(transfers(emulator())).toBe(1)
    const keys = double.entries.map(entry => entry.key)
    expect(keys).toHaveLength(2)
    expect(new Set(keys).size).toBe(2)
  })

  it('warns once and downloads when the cache service fails, and the step ends all the same', async () => {
    const double = (service = await startCacheDouble())
    double.failing = true
    const runner = await hostedRunner(double)
    const started = Date.now()
    const result = await pull(
      emulator(),
      { entries: `${ROBOT}: glb, usdz`, timeout: '20s' },
      runner
    )
    expect(result.code).toBe(0)
    const warnings = log(result)
      .split('\n')
      .filter(line => line.startsWith('::warning::'))
    expect(warnings).toEqual([
      '::warning::The Actions cache is not usable (it did not answer within 2.0s); files are downloaded from echo3D without it'
    ])
    expect(filesOutput(result).map(file => file.source)).toEqual(['download', 'download'])
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
