import { describe, expect, it } from '@jest/globals'
import type { EntrySpec } from '../../emulator/server.ts'
import type { ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  filesOutput,
  listFiles,
  log,
  pull,
  readWorkspaceFile,
  scratchFolder,
  sha256,
  sharedEmulator
} from '../support.ts'

const MANY: EntrySpec[] = Array.from({ length: 12 }, (_, index) => ({
  id: `model-${index}`,
  filename: `Model ${index}.glb`,
  derived: [],
  minBytes: 256 * 1024
}))
const LARGE: EntrySpec = {
  id: 'large',
  filename: 'Hangar.glb',
  derived: [],
  minBytes: 48 * 1024 * 1024
}

const emulator = sharedEmulator({ entries: [...MANY, LARGE] })

describe('transfers', () => {
  it('run at most `concurrency` at once, over reused keep-alive connections', async () => {
    emulator().storageLatencyMs = 100
    const result = await pull(emulator(), {
      entries: MANY.map(entry => entry.id).join('\n'),
      concurrency: '3'
    })
    expect(result.code).toBe(0)
    expect(filesOutput(result)).toHaveLength(12)
    expect(emulator().storageStats.maxInFlight).toBeLessThanOrEqual(3)
    expect(emulator().storageStats.maxInFlight).toBeGreaterThan(1)
    expect(emulator().storageStats.connections).toBeLessThanOrEqual(3)
  })

  it('start the largest file first, whatever its place in the list', async () => {
    const result = await pull(emulator(), {
      entries: [...MANY.slice(0, 3), LARGE].map(entry => entry.id).join('\n'),
      concurrency: '1'
    })
    expect(result.code).toBe(0)
    const fetched = emulator()
      .requests.filter(request => request.route === 'file')
      .map(request => request.target)
    expect(fetched).toHaveLength(4)
    expect(fetched[0]).toBe(emulator().storageIdOf('large', 'glb'))
    expect(filesOutput(result).map(file => file.entry)).toEqual([
      'model-0',
      'model-1',
      'model-2',
      'large'
    ])
  })

  it('stream a large file intact and report its progress', async () => {
    const result = await pull(emulator(), { entries: 'large' })
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    expect(file.bytes).toBeGreaterThanOrEqual(48 * 1024 * 1024)
    expect(sha256(await readWorkspaceFile(result, file.path))).toBe(
      sha256(emulator().fileBytes(file.storageId!)!)
    )
    expect(log(result)).toMatch(/Hangar.glb: 25% of 48.0 MiB/)
    expect(log(result)).toMatch(/Hangar.glb: 75% of 48.0 MiB/)
  })

  it('removes the file being written when the job is cancelled', async () => {
    emulator().bandwidth = 8 * 1024 * 1024
    let child: ChildProcess | undefined
    const result = await pull(
      emulator(),
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
  })

  it('removes partial files an interrupted run left behind', async () => {
    const workspace = await scratchFolder('leftovers')
    const folder = path.join(workspace, 'assets/echo3d')
    await mkdir(folder, { recursive: true })
    await writeFile(path.join(folder, '.0123456789ab.echo3d-partial'), 'half a model')
    await writeFile(path.join(folder, '.keep-me'), 'not ours')
    const result = await pull(emulator(), { entries: 'model-1' }, { workspace })
    expect(result.code).toBe(0)
    expect(log(result)).toMatch(/Removed 1 partial file that an interrupted run left behind/)
    expect(await listFiles(workspace)).toEqual([
      'assets/echo3d/.keep-me',
      'assets/echo3d/Model 1.glb',
      'assets/echo3d/echo3d.lock.json'
    ])
  })
})
