// How files move: side by side over kept-alive connections, the largest first, streamed with
// progress, and what an interrupted run left behind is cleaned up. Cancelling a real step is
// checked end to end, in __tests__/e2e/.
import { describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { EntrySpec } from '../../emulator/server.ts'
import { pullWith } from '../../harness/engine.ts'
import { listFiles, sha256, sharedEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const MANY: EntrySpec[] = Array.from({ length: 12 }, (_, index) => ({
  id: `model-${index}`,
  filename: `Model ${index}.glb`,
  derived: [],
  minBytes: 64 * 1024
}))
// Large enough for progress at each quarter (from 8 MiB), small enough to make quickly.
const LARGE: EntrySpec = {
  id: 'large',
  filename: 'Hangar.glb',
  derived: [],
  minBytes: 16 * 1024 * 1024
}

const emulator = sharedEmulator({ entries: [...MANY, LARGE] })

describe('transfers', () => {
  it('run at most `concurrency` at once, over reused keep-alive connections', async () => {
    emulator().storageLatencyMs = 100
    const run = await pullWith(emulator(), {
      inputs: { entries: MANY.map(entry => entry.id).join('\n'), concurrency: '3' }
    })
    expect(run.report.failures).toEqual([])
    expect(run.report.files).toHaveLength(12)
    expect(emulator().storageStats.maxInFlight).toBeLessThanOrEqual(3)
    expect(emulator().storageStats.maxInFlight).toBeGreaterThan(1)
    expect(emulator().storageStats.connections).toBeLessThanOrEqual(3)
  })

  it('start the largest file first, whatever its place in the list', async () => {
    const run = await pullWith(emulator(), {
      inputs: {
        entries: [...MANY.slice(0, 3), LARGE].map(entry => entry.id).join('\n'),
        concurrency: '1'
      }
    })
    expect(run.report.failures).toEqual([])
    const fetched = emulator()
      .requests.filter(request => request.route === 'file')
      .map(request => request.target)
    expect(fetched).toHaveLength(4)
    expect(fetched[0]).toBe(emulator().storageIdOf('large', 'glb'))
    expect(run.report.files.map(file => file.entry)).toEqual([
      'model-0',
      'model-1',
      'model-2',
      'large'
    ])
  })

  it('stream a large file intact and report its progress', async () => {
    const run = await pullWith(emulator(), { inputs: { entries: 'large' } })
    expect(run.report.failures).toEqual([])
    const [file] = run.report.files
    expect(file.bytes).toBeGreaterThanOrEqual(16 * 1024 * 1024)
    expect(sha256(await readFile(path.join(run.workspace, file.path)))).toBe(
      sha256(emulator().fileBytes(file.storageId!)!)
    )
    expect(run.log()).toMatch(/Hangar.glb: 25% of 16.0 MiB/)
    expect(run.log()).toMatch(/Hangar.glb: 75% of 16.0 MiB/)
  })

  it('removes partial files an interrupted run left behind, and nothing else', async () => {
    const workspace = await scratchFolder('leftovers')
    const folder = path.join(workspace, 'assets/echo3d')
    await mkdir(folder, { recursive: true })
    await writeFile(path.join(folder, '.0123456789ab.echo3d-partial'), 'half a model')
    await writeFile(path.join(folder, '.keep-me'), 'not ours')
    const run = await pullWith(emulator(), { inputs: { entries: 'model-1' }, workspace })
    expect(run.report.failures).toEqual([])
    expect(run.log()).toMatch(/Removed 1 partial file that an interrupted run left behind/)
    expect(await listFiles(workspace)).toEqual([
      'assets/echo3d/.keep-me',
      'assets/echo3d/Model 1.glb',
      'assets/echo3d/echo3d.lock.json'
    ])
  })
})
