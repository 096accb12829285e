import { describe, expect, it } from '@jest/globals'
import { characters, TextBudget, utf8Bytes } from '../../src/report/budget.js'

describe('TextBudget', () => {
  it('keeps whole lines from the front while they fit, and counts the rest', () => {
    const budget = new TextBudget(10, characters)
    expect(budget.takeLines(['abcd', 'efgh', 'ijkl', 'm'])).toEqual({
      kept: ['abcd', 'efgh'],
      omitted: 2
    })
  })

  it("never skips a line to fit a later, shorter one: the order stays the reader's", () => {
    const budget = new TextBudget(6, characters)
    expect(budget.takeLines(['abcd', 'efghij', 'k'])).toEqual({ kept: ['abcd'], omitted: 2 })
  })

  it('keeps the reserve free for what follows', () => {
    const budget = new TextBudget(10, characters)
    expect(budget.takeLines(['abcd', 'efgh'], 3).kept).toEqual(['abcd'])
    expect(budget.take('efghij')).toBe(true)
    expect(budget.take('x')).toBe(false)
  })

  it('counts UTF-8 bytes where GitHub does', () => {
    expect(utf8Bytes('é')).toBe(2)
    const budget = new TextBudget(3, utf8Bytes)
    expect(budget.takeLines(['é', 'é'])).toEqual({ kept: ['é'], omitted: 1 })
  })
})
