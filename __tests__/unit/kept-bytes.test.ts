// What a check keeps of lent pieces: copies of the first bytes, whatever the pieces' sizes.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { KeptBytes } from '../../src/engine/kept-bytes.ts'

/** Adds the bytes in pieces of one buffer that the next piece overwrites. */
function keep(bytes: Buffer, limit: number, pieceBytes: number): Buffer {
  const kept = new KeptBytes(limit)
  const lent = Buffer.alloc(pieceBytes)
  for (let at = 0; at < bytes.length; at += pieceBytes) {
    const copied = bytes.copy(lent, 0, at, at + pieceBytes)
    kept.add(lent.subarray(0, copied))
  }
  lent.fill(0)
  expect(kept.length).toBe(Math.min(limit, bytes.length))
  return kept.bytes()
}

describe('KeptBytes', () => {
  const bytes = randomBytes(200_000)

  it.each([1, 7, 65_535, 65_536, 100_000, 300_000])(
    'keeps the first bytes of pieces of %d bytes, up to its limit',
    pieceBytes => {
      expect(keep(bytes, 150_000, pieceBytes)).toEqual(bytes.subarray(0, 150_000))
      expect(keep(bytes, 1_000_000, pieceBytes)).toEqual(bytes)
      expect(keep(bytes, 12, pieceBytes)).toEqual(bytes.subarray(0, 12))
    }
  )

  it('keeps nothing of no bytes, and goes on keeping after its bytes were read', () => {
    const kept = new KeptBytes(100)
    expect(kept.bytes()).toEqual(Buffer.alloc(0))
    kept.add(bytes.subarray(0, 10))
    expect(kept.bytes()).toEqual(bytes.subarray(0, 10))
    kept.add(bytes.subarray(10, 200))
    expect(kept.bytes()).toEqual(bytes.subarray(0, 100))
  })
})
