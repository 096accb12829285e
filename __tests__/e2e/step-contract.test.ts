// The built action (dist/index.js) as the runner runs it: inputs as INPUT_* variables, outputs and
// the job summary in files, the exit code, and cancellation. One run each; what the engine does
// within a run is tested in-process, in __tests__/engine/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, ROBOT, sampleEntries } from '../../emulator/sample-collection.ts'
import { startEmulator, type Emulator, type EntrySpec } from '../../emulator/server.ts'
import { pullWith } from '../../harness/engine.ts'
import { listFiles, log, pull, transfers } from '../support.ts'

const LARGE: EntrySpec = {
  id: 'large',
  filename: 'Hangar.glb',
  derived: [],
  minBytes: 16 * 1024 * 1024
}

let plain: Emulator

beforeAll(async () => {
  plain = await startEmulator({ entries: [...sampleEntries(), LARGE] })
})
afterAll(() => plain.close())

describe('the step', () => {
  it('fails before any request when inputs are bad, naming each one', async () => {
    const result = await pull(plain, {
      entries: ROBOT,
      'user-key': '',
      formats: 'blend',
      retries: 'x',
      concurrency: '99'
    })
    expect(result.code).toBe(1)
    const errors = log(result)
      .split('\n')
      .filter(line => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    for (const input of ['user-key', 'formats', 'retries', 'concurrency']) {
      expect(errors[0]).toContain(`Input '${input}'`)
    }
    expect(plain.requests).toEqual([])
    expect(result.outputs).toEqual({})
    expect(result.summary).toBe('')
  })

  it('in mode: check, fails with the stale files, as an output, in the summary, without a transfer', async () => {
    const entries = `${DESK_LAMP}: glb\n${ROBOT}: glb, usdz\n${CHAIR}`
    const pulled = await pullWith(plain, { inputs: { entries } })
    expect(pulled.report.failures).toEqual([])
    await rm(path.join(pulled.workspace, 'assets/echo3d/Robot.usdz'))
    plain.requests.splice(0)

    const check = await pull(plain, { entries, mode: 'check' }, { workspace: pulled.workspace })
    expect(check.code).toBe(1)
    expect(transfers(plain)).toBe(0)
    expect(JSON.parse(check.outputs.stale)).toEqual([
      {
        path: 'assets/echo3d/Robot.usdz',
        entry: ROBOT,
        format: 'usdz',
        reason: 'missing on disk'
      }
    ])
    expect(log(check)).toMatch(
      /^::error::1 asset missing or stale:%0A.*Robot.usdz.*%0ARun the action with `mode: pull` to update them/m
    )
    expect(check.summary).toContain('3 of 4 selected files are up to date; 1 missing or stale.')
    expect(check.summary).toContain('<td>missing on disk</td>')
    expect(check.outputs.count).toBeUndefined()
  })

  it('removes the file being written when the job is cancelled', async () => {
    plain.bandwidth = 8 * 1024 * 1024
    let child: ChildProcess | undefined
    try {
      const result = await pull(
        plain,
        { entries: 'large' },
        {
          onSpawn: spawned => (child = spawned),
          onLine: line => {
            if (line.includes('25% of')) child?.kill('SIGTERM')
          }
        }
      )
      expect(result.code).not.toBe(0)
      expect(log(result)).toMatch(
        /::error::Cancelled \(SIGTERM\); the files being written were removed/
      )
      expect(await listFiles(result.workspace)).toEqual([])
    } finally {
      plain.bandwidth = 0
    }
  })
})
