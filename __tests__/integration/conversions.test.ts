import { describe, expect, it } from '@jest/globals'
import type { EntrySpec } from '../../emulator/server.ts'
import { filesOutput, log, pull, sharedEmulator } from '../support.ts'

// Twelve uploads in GLB that each need a USDZ conversion, and four that need none.
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
    emulator().conversionDelayMs = 1500
    const result = await pull(emulator(), {
      entries: selection('usdz'),
      'convert-missing': 'true',
      concurrency: '4',
      timeout: '60s'
    })
    expect(result.code).toBe(0)
    // All twelve were in echo3D's hands at once, though only four transfers run at a time.
    expect(emulator().conversionStats.maxInFlight).toBe(12)
    const files = filesOutput(result)
    expect(files.filter(file => file.source === 'conversion')).toHaveLength(12)
    expect(files.filter(file => file.source === 'download')).toHaveLength(4)
  })

  it('keep to conversion-concurrency', async () => {
    emulator().conversionDelayMs = 300
    const result = await pull(emulator(), {
      entries: selection('obj'),
      'convert-missing': 'true',
      'conversion-concurrency': '5',
      timeout: '60s'
    })
    expect(result.code).toBe(0)
    expect(emulator().conversionStats.maxInFlight).toBe(5)
  })

  it('honour 429 with Retry-After and run fewer at once for the rest of the run, and say so', async () => {
    emulator().conversionDelayMs = 300
    emulator().conversionCapacity = 3
    const result = await pull(emulator(), {
      entries: selection('stl'),
      'convert-missing': 'true',
      'conversion-concurrency': '16',
      retries: '10',
      timeout: '60s'
    })
    expect(result.code).toBe(0)
    expect(filesOutput(result).filter(file => file.source === 'conversion')).toHaveLength(12)
    expect(emulator().conversionStats.refused).toBeGreaterThan(0)
    expect(log(result)).toMatch(
      /echo3D answered HTTP 429: Too Many Requests; retry 1 of 10 in 1\.0s/
    )
    const lowered = log(result).match(/at most (\d+) at a time from now on, down from 16/)
    expect(lowered).not.toBeNull()
    const note = result.summary.match(
      /lowered the conversions it waits on at once from 16 to (\d+)/
    )
    expect(Number(note?.[1])).toBeLessThan(16)
    expect(Number(note?.[1])).toBeGreaterThanOrEqual(1)
  })
})
