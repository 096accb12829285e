import { describe, expect, it } from '@jest/globals'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { startCacheDouble } from '../../doubles/cache-service.ts'
import type { EntrySpec } from '../../emulator/server.ts'
import { scratchFolder, type RunResult } from '../../harness/runner.ts'
import { LOCKFILE, log, pull, readWorkspaceFile, sharedEmulator, transfers } from '../support.ts'

// A catalogue of 5,000 entries: the size at which the summary and outputs used to pass GitHub's
// limits. Small files keep the test within a minute; the benchmark measures large ones.
const COUNT = 5000
const CATALOGUE: EntrySpec[] = Array.from({ length: COUNT }, (_, index) => ({
  id: `model-${String(index).padStart(4, '0')}`,
  filename: `Catalogue model ${index}.glb`,
  derived: [],
  tags: ['catalogue'],
  minBytes: 2 * 1024
}))

const emulator = sharedEmulator({ entries: CATALOGUE })

const MiB = 1024 * 1024

function queries(): number {
  return emulator().requests.filter(request => request.route === 'query').length
}

/** What the step wrote to GITHUB_OUTPUT, as GitHub counts it against 1 MB per job. */
function outputBytes(result: RunResult): number {
  return Object.entries(result.outputs).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
    0
  )
}

async function filesList(result: RunResult): Promise<{ path: string; sha256: string }[]> {
  return JSON.parse(await readFile(result.outputs['files-path'], 'utf8')) as {
    path: string
    sha256: string
  }[]
}

function expectWithinGitHubLimits(result: RunResult): void {
  expect(Buffer.byteLength(result.summary)).toBeLessThan(MiB)
  expect(outputBytes(result)).toBeLessThan(1_000_000)
  expect(result.outputs.files).toBe('')
  expect(log(result)).toMatch(/The `files` output is left empty: its 5000 items take \d+ bytes/)
}

describe(`a catalogue of ${COUNT} entries`, () => {
  it('pulls with one metadata query, re-runs with no transfer, and stays within GitHub limits', async () => {
    const cold = await pull(emulator(), { tags: 'catalogue', concurrency: '8', cache: 'false' })
    expect(cold.code).toBe(0)
    expect(queries()).toBe(1)
    expect(transfers(emulator())).toBe(COUNT)
    expect(cold.outputs.count).toBe(String(COUNT))
    expectWithinGitHubLimits(cold)
    const listed = await filesList(cold)
    expect(listed).toHaveLength(COUNT)
    const lockfile = JSON.parse((await readWorkspaceFile(cold, LOCKFILE)).toString()) as {
      files: { path: string; sha256: string }[]
    }
    expect(lockfile.files).toHaveLength(COUNT)

    emulator().reset()
    const again = await pull(
      emulator(),
      { tags: 'catalogue', concurrency: '8', cache: 'false' },
      { workspace: cold.workspace }
    )
    expect(again.code).toBe(0)
    expect(queries()).toBe(1)
    expect(transfers(emulator())).toBe(0)
    expect(again.outputs.unchanged).toBe(String(COUNT))
    expect(log(again)).toContain(`✓ ${COUNT} files already up to date on disk`)
    expectWithinGitHubLimits(again)
    expect(again.summary).toContain(`<details><summary>${COUNT} unchanged files</summary>`)
    // One line per file only with debug logging: the log stays readable at any size.
    expect(again.stdout.split('\n').length).toBeLessThan(100)
  }, 180_000)

  it('makes one save and at most two lookups of the Actions cache per run, whatever its size', async () => {
    const double = await startCacheDouble()
    try {
      const runner = {
        runnerTemp: path.join(await scratchFolder('hosted'), '_temp'),
        env: {
          RUNNER_ENVIRONMENT: 'github-hosted',
          ACTIONS_CACHE_SERVICE_V2: 'true',
          ACTIONS_RESULTS_URL: `${double.url}/`,
          ACTIONS_RUNTIME_TOKEN: double.runtimeToken
        }
      }
      const inputs = { tags: 'catalogue', concurrency: '8' }
      const cold = await pull(emulator(), inputs, runner)
      expect(cold.code).toBe(0)
      expect(log(cold)).not.toMatch(/Failed to save|::warning::The (Actions )?cache/)
      expect(transfers(emulator())).toBe(COUNT)
      expect(double.calls.splice(0).sort()).toEqual([
        'CreateCacheEntry',
        'FinalizeCacheEntryUpload',
        'GetCacheEntryDownloadURL'
      ])

      // A fresh machine, and a workspace without the files or the lockfile.
      await rm(runner.runnerTemp, { recursive: true, force: true })
      emulator().reset()
      const restored = await pull(emulator(), inputs, runner)
      expect(restored.code).toBe(0)
      expect(log(restored)).not.toMatch(/Failed to restore|::warning::The (Actions )?cache/)
      expect(transfers(emulator())).toBe(0)
      expect(restored.outputs['cache-hits']).toBe(String(COUNT))
      expect(double.calls.splice(0)).toEqual([
        'GetCacheEntryDownloadURL',
        'GetCacheEntryDownloadURL'
      ])
    } finally {
      await double.close()
    }
  }, 300_000)

  it('selects 5,000 entries by ID with one metadata query per 100 IDs', async () => {
    const ids = CATALOGUE.map(entry => entry.id).join('\n')
    const result = await pull(emulator(), { entries: ids, concurrency: '8', cache: 'false' })
    expect(result.code).toBe(0)
    expect(queries()).toBe(COUNT / 100)
    expect(transfers(emulator())).toBe(COUNT)
    expectWithinGitHubLimits(result)
  }, 180_000)
})
