import { describe, expect, it } from '@jest/globals'
import { lstat, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { scratchFolder } from '../../harness/runner.ts'
import {
  mergeLockfile,
  parseLockfile,
  serializeLockfile,
  writeLockfile
} from '../../src/engine/lockfile.js'
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
      'assets/nul .x.glb',
      'assets/LPT1 . .b.glb',
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

  it('quotes the start of a path of megabytes, not all of it', () => {
    const long = `../${'x'.repeat(4 * 1024 * 1024)}.glb`
    const text = JSON.stringify({ version: 1, files: [locked(long)] })
    const message = (() => {
      try {
        parseLockfile(text, 'assets')
        return ''
      } catch (error) {
        return (error as Error).message
      }
    })()
    expect(message).toMatch(/points outside the destination folder: \.\.\/x+…/)
    expect(message.length).toBeLessThan(500)
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
    const previous = [
      locked('assets/Robot.glb'),
      locked('assets/Cafe\u0301.glb'),
      locked('assets/\u03c2.glb'),
      locked('assets/Ma\u017fk.glb')
    ]
    const selected = new Set([
      'assets/robot.glb',
      'assets/café.glb',
      'assets/\u03a3.glb',
      'assets/MASK.glb'
    ])
    expect(pruneCandidates(previous, selected)).toEqual([])
  })
})

describe('writeLockfile', () => {
  // Thousands of records with multi-byte names: more than one piece of the comparison's reads.
  const records = Array.from({ length: 5_000 }, (_, index) =>
    locked(`assets/Modèle ${index} 測試 🚀.glb`)
  )

  async function written(): Promise<{ workspace: string; lockfile: string }> {
    const workspace = await scratchFolder('write-lockfile')
    const lockfile = path.join(workspace, 'echo3d.lock.json')
    await writeLockfile(workspace, lockfile, records)
    return { workspace, lockfile }
  }

  it('leaves a lockfile that already says the same untouched', async () => {
    const { workspace, lockfile } = await written()
    expect(await readFile(lockfile, 'utf8')).toBe(serializeLockfile(records))
    const before = await stat(lockfile)
    await writeLockfile(workspace, lockfile, [...records].reverse())
    expect((await stat(lockfile)).ino).toBe(before.ino)
  })

  it('rewrites one that differs by a byte, or is longer, or is shorter', async () => {
    const { workspace, lockfile } = await written()
    const text = serializeLockfile(records)
    for (const other of [`${text.slice(0, -2)}]\n`, `${text} `, text.slice(0, -1)]) {
      await writeFile(lockfile, other)
      await writeLockfile(workspace, lockfile, records)
      expect(await readFile(lockfile, 'utf8')).toBe(text)
    }
  })

  it('creates none for a run that wrote nothing, and never writes through a link', async () => {
    const workspace = await scratchFolder('write-lockfile-empty')
    const lockfile = path.join(workspace, 'echo3d.lock.json')
    await writeLockfile(workspace, lockfile, [])
    await expect(stat(lockfile)).rejects.toThrow('ENOENT')
    const outside = path.join(await scratchFolder('write-lockfile-outside'), 'target')
    // Even a link to the very text it would write is replaced, not taken for the lockfile.
    await writeFile(outside, serializeLockfile(records))
    await symlink(outside, lockfile)
    await writeLockfile(workspace, lockfile, records)
    expect((await lstat(lockfile)).isFile()).toBe(true)
    expect(await readFile(lockfile, 'utf8')).toBe(serializeLockfile(records))
    await writeLockfile(workspace, lockfile, [locked('assets/other.glb')])
    expect(await readFile(outside, 'utf8')).toBe(serializeLockfile(records))
  })
})
