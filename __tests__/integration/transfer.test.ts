import { describe, expect, it } from '@jest/globals'
import type { EntrySpec } from '../../emulator/server.ts'
import { filesOutput, log, pull, readWorkspaceFile, sha256, sharedEmulator } from './support.ts'

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
})
