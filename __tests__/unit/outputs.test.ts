// The step's list outputs against GitHub's 1 MB of outputs per job: the lists of one run share one
// room, so that together they never pass it; a list left out is whole in its file.
import { afterAll, expect, it, jest } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setEnvironment } from '../../harness/in-process.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { setPullOutputs } from '../../src/action/outputs.ts'
import type { BudgetBreach, PulledFile, PullReport } from '../../src/model.ts'

const restore = setEnvironment({ GITHUB_OUTPUT: undefined, RUNNER_TEMP: undefined })
afterAll(restore)

const longFolder = `assets/${'a-long-folder-name-'.repeat(12)}`

function pulled(index: number): PulledFile {
  const sha256 = index.toString(16).padStart(64, '0')
  const file = { entry: `entry-${index}`, storageId: `storage-${index}`, format: 'glb' }
  return {
    ...file,
    path: `${longFolder}/model ${index}.glb`,
    bytes: 1024,
    sha256,
    source: 'download',
    durationMs: 1
  }
}

function breach(index: number): BudgetBreach {
  return {
    path: `${longFolder}/model ${index}.glb`,
    format: 'glb',
    limit: 'triangles',
    max: 1,
    actual: 2
  }
}

it("keeps a run's lists within one room of 512 KiB together, and leaves out the one that would pass it", async () => {
  const folder = await scratchFolder('outputs')
  const outputFile = path.join(folder, 'output')
  await writeFile(outputFile, '')
  setEnvironment({ GITHUB_OUTPUT: outputFile, RUNNER_TEMP: folder })
  const files = Array.from({ length: 1_000 }, (_, index) => pulled(index))
  const overBudget = Array.from({ length: 1_600 }, (_, index) => breach(index))
  const report: PullReport = { files, failures: [], pruned: [], notes: [], overBudget }
  const printed: string[] = []
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(text => {
    printed.push(String(text))
    return true
  })
  try {
    await setPullOutputs(report, process.env)
  } finally {
    stdout.mockRestore()
  }
  const warnings = printed.join('')
  const written = await readFile(outputFile, 'utf8')
  const value = (name: string) =>
    new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(written)?.[2]
  expect(JSON.parse(value('files') ?? '')).toHaveLength(1_000)
  expect(value('over-budget')?.length).toBe(0)
  expect(Buffer.byteLength(written)).toBeLessThan(512 * 1024 + 4096)
  expect(warnings).toMatch(
    /::warning::The `over-budget` output is left empty: its 1600 items take \d+ bytes, more than the \d+ left/
  )
  const listed = JSON.parse(await readFile(value('over-budget-path') ?? '', 'utf8')) as unknown[]
  expect(listed).toHaveLength(1_600)
})
