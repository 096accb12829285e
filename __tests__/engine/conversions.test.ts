// Conversions are echo3D's work, which the action waits on beside its transfers, under a bound of
// its own that echo3D's 429 lowers. Retry-After is waited on the test clock: no real second passes.
import { describe, expect, it } from '@jest/globals'
import type { EntrySpec } from '../../emulator/server.ts'
import { pullSummary, pullWith } from '../../harness/engine.ts'
import { sharedEmulator } from '../support.ts'

// Twelve uploads in GLB that each need a conversion, and four that need none.
const TO_CONVERT: EntrySpec[] = Array.from({ length: 12 }, (_, index) => ({
  id: `convert-${index}`,
  filename: `Statue ${index}.glb`,
  derived: [],
  minBytes: 16 * 1024
}))
const STORED: EntrySpec[] = Array.from({ length: 4 }, (_, index) => ({
  id: `stored-${index}`,
  filename: `Crate ${index}.glb`,
  derived: [],
  minBytes: 16 * 1024
}))

const emulator = sharedEmulator({ entries: [...TO_CONVERT, ...STORED] })

/** Each test asks for a format not converted before: echo3D keeps what it converted. */
function selection(format: string): string {
  return [
    ...TO_CONVERT.map(entry => `${entry.id}: ${format}`),
    ...STORED.map(entry => `${entry.id}: glb`)
  ].join('\n')
}

describe('conversions', () => {
  it('wait beside the transfers, under their own bound, not in transfer lanes', async () => {
    emulator().conversionDelayMs = 300
    const run = await pullWith(emulator(), {
      inputs: { entries: selection('usdz'), 'convert-missing': 'true', concurrency: '4' }
    })
    expect(run.report.failures).toEqual([])
    // All twelve were in echo3D's hands at once, though only four transfers run at a time.
    expect(emulator().conversionStats.maxInFlight).toBe(12)
    const { files } = run.report
    expect(files.filter(file => file.source === 'conversion')).toHaveLength(12)
    expect(files.filter(file => file.source === 'download')).toHaveLength(4)
  })

  it('keep to conversion-concurrency', async () => {
    emulator().conversionDelayMs = 200
    const run = await pullWith(emulator(), {
      inputs: {
        entries: selection('obj'),
        'convert-missing': 'true',
        'conversion-concurrency': '5'
      }
    })
    expect(run.report.failures).toEqual([])
    expect(emulator().conversionStats.maxInFlight).toBe(5)
  })

  it('honour 429 with Retry-After and run fewer at once for the rest of the run, and say so', async () => {
    emulator().conversionDelayMs = 200
    emulator().conversionCapacity = 3
    const run = await pullWith(emulator(), {
      inputs: {
        entries: selection('stl'),
        'convert-missing': 'true',
        'conversion-concurrency': '16',
        retries: '10'
      }
    })
    expect(run.report.failures).toEqual([])
    const converted = run.report.files.filter(file => file.source === 'conversion')
    expect(converted).toHaveLength(12)
    expect(emulator().conversionStats.refused).toBeGreaterThan(0)
    expect(run.log()).toMatch(/echo3D answered HTTP 429: Too Many Requests; retry 1 of 10 in 1\.0s/)
    // Retry-After: 1, on the test clock.
    expect(run.clock.waits.length).toBeGreaterThan(0)
    expect(new Set(run.clock.waits)).toEqual(new Set([1000]))
    const lowered = /at most (\d+) at a time from now on, down from 16/.exec(run.log())
    expect(lowered).not.toBeNull()
    const [note] = run.report.notes
    const to = Number(
      /lowered the conversions it waits on at once from 16 to (\d+)/.exec(note)?.[1]
    )
    expect(to).toBeLessThan(16)
    expect(to).toBeGreaterThanOrEqual(1)
    expect(note).toContain(`Lower \`conversion-concurrency\` to ${to}`)
    expect(await pullSummary(run)).toContain(`from 16 to ${to}.`)
  })
})
