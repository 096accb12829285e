import { describe, expect, it } from '@jest/globals'
import { replaceFile } from '../../src/engine/workspace.js'

function failing(codes: string[]): { move: () => Promise<void>; calls: () => number } {
  let calls = 0
  return {
    move: () => {
      const code = codes[calls++]
      return code ? Promise.reject(Object.assign(new Error(code), { code })) : Promise.resolve()
    },
    calls: () => calls
  }
}

describe('replaceFile', () => {
  it('tries again while Windows says the file is busy (an antivirus holds it)', async () => {
    const rename = failing(['EBUSY', 'EPERM', 'EACCES'])
    await replaceFile('a', 'b', rename.move)
    expect(rename.calls()).toBe(4)
  })

  it('gives up after a few tries, and at once on any other error', async () => {
    const busy = failing(Array.from({ length: 10 }, () => 'EBUSY'))
    await expect(replaceFile('a', 'b', busy.move)).rejects.toThrow('EBUSY')
    expect(busy.calls()).toBe(6)
    const missing = failing(['ENOENT'])
    await expect(replaceFile('a', 'b', missing.move)).rejects.toThrow('ENOENT')
    expect(missing.calls()).toBe(1)
  })
})
