// The built action restarts itself once, in place, with glibc's malloc settings
// (src/malloc-settings.ts, design record 0011). A preload reports every start of the program, as
// the preload runs again in the replaced process.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { BUNDLE, scratchFolder } from '../../harness/runner.ts'

async function startsOfTheAction(env: NodeJS.ProcessEnv): Promise<unknown[]> {
  const folder = await scratchFolder('restart')
  const report = path.join(folder, 'starts.jsonl')
  const preload = path.join(folder, 'report-start.cjs')
  await writeFile(
    preload,
    `require('node:fs').appendFileSync(${JSON.stringify(report)}, JSON.stringify({ pid: process.pid, arenas: process.env.MALLOC_ARENA_MAX ?? null }) + '\\n')`
  )
  const result = spawnSync(process.execPath, ['--require', preload, BUNDLE], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GITHUB_WORKSPACE: folder, RUNNER_TEMP: folder, ...env }
  })
  expect(result.status).toBe(1)
  expect(result.stdout).toContain('::error::')
  const lines = (await readFile(report, 'utf8')).trim().split('\n')
  return lines.map(line => JSON.parse(line) as unknown).concat({ pid: result.pid })
}

const onLinux = process.platform === 'linux' ? it : it.skip

describe('the action at start', () => {
  onLinux('replaces its process once, keeping its ID, with one malloc arena', async () => {
    const [before, after, child] = (await startsOfTheAction({})) as { pid: number }[]
    expect(before).toEqual({ pid: child.pid, arenas: null })
    expect(after).toEqual({ pid: child.pid, arenas: '1' })
  })

  it('runs once, as it is, when the step sets ECHO3D_ASSETS_MALLOC_SETTINGS', async () => {
    const starts = await startsOfTheAction({ ECHO3D_ASSETS_MALLOC_SETTINGS: 'off' })
    expect(starts).toHaveLength(2)
    expect(starts[0]).toMatchObject({ arenas: null })
  })
})
