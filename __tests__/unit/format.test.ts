// How counts read: grouped by thousands the same way in every locale.
import { describe, expect, it } from '@jest/globals'
import { formatCount } from '../../src/format.js'

describe('formatCount', () => {
  it('groups thousands with commas, as en-US does', () => {
    for (const count of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 2_147_483_648]) {
      expect(formatCount(count)).toBe(count.toLocaleString('en-US'))
    }
  })

  it('keeps the sign of a negative count', () => {
    expect(formatCount(-1234567)).toBe('-1,234,567')
  })
})
