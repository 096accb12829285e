// A buffer the run is done with gives its memory back at once, and only a buffer that owns all of it.
import { describe, expect, it } from '@jest/globals'
import { freeNow } from '../../src/engine/free-memory.js'

const MIB = 1024 * 1024

describe('freeNow', () => {
  it('gives the memory of a buffer of its own back at once', () => {
    const buffer = Buffer.alloc(32 * MIB, 1)
    const before = process.memoryUsage().arrayBuffers

    freeNow(buffer)

    expect(buffer.length).toBe(0)
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(32 * MIB)
  })

  it('leaves a slice of a larger buffer, and a small pooled one, as they are', () => {
    const whole = Buffer.alloc(MIB, 2)
    const slice = whole.subarray(0, 1024)
    const pooled = Buffer.from('shares its memory with other small buffers')

    freeNow(slice)
    freeNow(pooled)

    expect(whole.length).toBe(MIB)
    expect(slice[0]).toBe(2)
    expect(pooled.toString()).toBe('shares its memory with other small buffers')
  })

  it('does nothing to a buffer freed already', () => {
    const buffer = new Uint8Array(1024)
    freeNow(buffer)
    expect(() => freeNow(buffer)).not.toThrow()
  })
})
