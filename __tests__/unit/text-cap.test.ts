import { describe, expect, it } from '@jest/globals'
import { characters, linesOf, TextCap, utf8Bytes } from '../../src/report/text-cap.js'

describe('TextCap', () => {
  it('keeps whole lines from the front while they fit, and counts the rest', () => {
    const room = new TextCap(10, characters)
    expect(room.takeLines(['abcd', 'efgh', 'ijkl', 'm'])).toEqual({
      kept: ['abcd', 'efgh'],
      omitted: 2
    })
  })

  it("never skips a line to fit a later, shorter one: the order stays the reader's", () => {
    const room = new TextCap(6, characters)
    expect(room.takeLines(['abcd', 'efghij', 'k'])).toEqual({ kept: ['abcd'], omitted: 2 })
  })

  // A summary of thousands of files would otherwise redact and escape every one to drop most.
  it('makes no line past the first that does not fit, and still counts them', () => {
    const made: number[] = []
    const lines = linesOf([1, 2, 3, 4, 5], item => {
      made.push(item)
      return 'abcd'
    })
    expect(new TextCap(10, characters).takeLines(lines)).toEqual({
      kept: ['abcd', 'abcd'],
      omitted: 3
    })
    expect(made).toEqual([1, 2, 3])
  })

  it('keeps the reserve free for what follows', () => {
    const room = new TextCap(10, characters)
    expect(room.takeLines(['abcd', 'efgh'], 3).kept).toEqual(['abcd'])
    expect(room.take('efghij')).toBe(true)
    expect(room.take('x')).toBe(false)
  })

  it('counts UTF-8 bytes where GitHub does', () => {
    expect(utf8Bytes('é')).toBe(2)
    const room = new TextCap(3, utf8Bytes)
    expect(room.takeLines(['é', 'é'])).toEqual({ kept: ['é'], omitted: 1 })
  })
})
