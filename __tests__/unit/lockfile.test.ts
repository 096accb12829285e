import { describe, expect, it } from '@jest/globals'
import { mergeLockfile, parseLockfile, serializeLockfile } from '../../src/engine/lockfile.js'
import { pruneCandidates } from '../../src/engine/prune.js'
import type { FileRecord } from '../../src/model.js'

const SHA = 'a'.repeat(64)

function locked(path: string, storageId: string | null = 's1'): FileRecord {
  return { path, entry: 'e1', format: 'glb', storageId, bytes: 10, sha256: SHA }
}

describe('the lockfile', () => {
  it('round-trips, sorted and byte-stable whatever the order it is given in', () => {
    const files = [locked('assets/b.glb'), locked('assets/a.glb', null)]
    const text = serializeLockfile(files)
    expect(text).toBe(serializeLockfile([...files].reverse()))
    expect(text.endsWith('}\n')).toBe(true)
    expect(parseLockfile(text, 'assets')).toEqual([
      locked('assets/a.glb', null),
      locked('assets/b.glb')
    ])
    expect(text).not.toMatch(/time|date|\d{13}/i)
  })

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['another version', '{"version":2,"files":[]}', /not a version 1/],
    ['no files', '{"version":1}', /no `files` list/],
    [
      'a bad hash',
      JSON.stringify({ version: 1, files: [{ ...locked('assets/a.glb'), sha256: 'xyz' }] }),
      /entry 1 is incomplete/
    ],
    [
      'a negative size',
      JSON.stringify({ version: 1, files: [{ ...locked('assets/a.glb'), bytes: -1 }] }),
      /entry 1/
    ],
    [
      'a duplicate',
      JSON.stringify({ version: 1, files: [locked('assets/a.glb'), locked('assets/a.glb')] }),
      /twice/
    ],
    [
      'a path outside the folder',
      JSON.stringify({ version: 1, files: [locked('src/main.ts')] }),
      /outside the destination/
    ],
    [
      'a climbing path',
      JSON.stringify({ version: 1, files: [locked('assets/../../etc/passwd')] }),
      /outside the destination/
    ],
    ...[
      'assets/..\\..\\..\\victims\\victim.txt',
      'assets/C:\\Windows\\win.ini',
      'assets/sub/CON.glb',
      'assets/COM\u00b9.glb',
      'assets/.git/config',
      'assets/model.glb.',
      'assets/model.glb ',
      'assets//model.glb',
      'assets/./model.glb',
      'assets/a\nb.glb',
      `assets/${'d/'.repeat(16)}deep.glb`
    ].map((bad): [string, string, RegExp] => [
      `a name the action could not have written (${JSON.stringify(bad)})`,
      JSON.stringify({ version: 1, files: [locked(bad)] }),
      /outside the destination/
    ])
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseLockfile(text, 'assets')).toThrow(message)
  })

  it('merges what was written over what earlier runs recorded, without the pruned', () => {
    const previous = [locked('assets/a.glb', 'old'), locked('assets/b.glb'), locked('assets/c.glb')]
    const merged = mergeLockfile(
      previous,
      [locked('assets/a.glb', 'new')],
      new Set(['assets/c.glb'])
    )
    expect(merged.map(file => [file.path, file.storageId])).toEqual([
      ['assets/a.glb', 'new'],
      ['assets/b.glb', 's1']
    ])
  })

  it('prunes only what the selection no longer includes', () => {
    const previous = [locked('assets/a.glb'), locked('assets/b.glb')]
    expect(pruneCandidates(previous, new Set(['assets/a.glb']))).toEqual([locked('assets/b.glb')])
  })
})

describe('pruneCandidates on a file system that ignores case', () => {
  it('never offers the file that was just pulled under a name that differs only in case', () => {
    const previous = [locked('assets/Robot.glb'), locked('assets/Cafe\u0301.glb')]
    const selected = new Set(['assets/robot.glb', 'assets/café.glb'])
    expect(pruneCandidates(previous, selected)).toEqual([])
  })
})
