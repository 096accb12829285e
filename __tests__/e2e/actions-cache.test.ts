import { afterEach, describe, expect, it } from '@jest/globals'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { startCacheDouble, type CacheDouble } from '../../doubles/cache-service.ts'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import {
  filesOutput,
  log,
  pull,
  readWorkspaceFile,
  scratchFolder,
  sha256,
  sharedEmulator,
  transfers
} from '../support.ts'

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

async function freshMachine(runnerTemp: string): Promise<void> {
  await rm(runnerTemp, { recursive: true, force: true })
}

describe('the Actions cache on GitHub-hosted runners', () => {
  it('restores files for a run whose workspace does not have them, with no transfer from echo3D', async () => {
    service = await startCacheDouble()
    const runner = await hostedRunner(service)
    const inputs = { entries: `${DESK_LAMP}: glb\n${ROBOT}: glb, usdz` }
    const first = await pull(emulator(), inputs, runner)
    expect(first.code).toBe(0)
    expect(service.entries.filter(entry => entry.finalized)).toHaveLength(3)

    await freshMachine(runner.runnerTemp)
    emulator().requests.splice(0)
    const second = await pull(emulator(), inputs, runner)
    expect(log(second)).not.toMatch(/::warning::/)
    expect(second.code).toBe(0)
    expect(transfers(emulator())).toBe(0)
    expect(second.outputs['cache-hits']).toBe('3')
    for (const file of filesOutput(second)) {
      expect(file.source).toBe('cache')
      expect(sha256(await readWorkspaceFile(second, file.path))).toBe(file.sha256)
    }
  })

  it('fetches only storage IDs that are new, and never stores one twice', async () => {
    service = await startCacheDouble()
    const runner = await hostedRunner(service)
    const initial = await pull(emulator(), { entries: ROBOT }, runner)
    expect(log(initial)).not.toMatch(/Failed to save|::warning::/)
    expect(service.entries.filter(entry => entry.finalized)).toHaveLength(1)
    for (let run = 0; run < 2; run++) {
      await freshMachine(runner.runnerTemp)
      emulator().requests.splice(0)
      const result = await pull(emulator(), { entries: `${ROBOT}\n${CHAIR}` }, runner)
      expect(result.code).toBe(0)
      // Shows the whole log if a restore failed, rather than only a transfer count.
      expect(log(result)).not.toMatch(/Failed to restore|::warning::/)
      expect(transfers(emulator())).toBe(run === 0 ? 1 : 0)
    }
    const keys = service.entries.map(entry => entry.key)
    expect(keys).toHaveLength(2)
    expect(new Set(keys).size).toBe(2)
  })

  it('warns and downloads when the cache service fails', async () => {
    service = await startCacheDouble()
    service.failing = true
    const runner = await hostedRunner(service)
    const result = await pull(
      emulator(),
      { entries: `${ROBOT}: glb, usdz`, timeout: '20s' },
      runner
    )
    expect(result.code).toBe(0)
    expect(log(result)).toMatch(
      /::warning::The Actions cache is not usable \(it did not answer within 2.0s\); files are downloaded from echo3D without it/
    )
    expect(filesOutput(result).map(file => file.source)).toEqual(['download', 'download'])
  })

  it('warns and downloads when the cache service is slow', async () => {
    service = await startCacheDouble()
    service.delayMs = 6000
    const runner = await hostedRunner(service)
    const started = Date.now()
    const result = await pull(emulator(), { entries: ROBOT, timeout: '20s' }, runner)
    expect(result.code).toBe(0)
    expect(log(result)).toMatch(/The Actions cache is not usable/)
    expect(filesOutput(result)[0].source).toBe('download')
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
