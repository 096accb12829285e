import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import type { EntrySpec } from '../../emulator/server.ts'
import type { RunResult } from '../../harness/runner.ts'
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

  it('selects 5,000 entries by ID with one metadata query per 100 IDs', async () => {
    const ids = CATALOGUE.map(entry => entry.id).join('\n')
    const result = await pull(emulator(), { entries: ids, concurrency: '8', cache: 'false' })
    expect(result.code).toBe(0)
    expect(queries()).toBe(COUNT / 100)
    expect(transfers(emulator())).toBe(COUNT)
    expectWithinGitHubLimits(result)
  }, 180_000)
})
