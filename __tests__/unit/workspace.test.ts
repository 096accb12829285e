import { describe, expect, it } from '@jest/globals'
import { symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { scratchFolder } from '../../harness/runner.ts'
import { WorkspaceBoundaryError } from '../../src/errors.js'
import { replaceFile, workspaceFileHolds } from '../../src/engine/workspace.js'

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

describe('workspaceFileHolds', () => {
  // Over several of the pieces it reads, with characters of two, three and four bytes.
  const text = '{"path": "Modèle 測試 🚀.glb"}\n'.repeat(8_000)

  it('says whether the file holds exactly the text, read in pieces', async () => {
    const workspace = await scratchFolder('holds')
    const file = path.join(workspace, 'echo3d.lock.json')
    await writeFile(file, text)
    await expect(workspaceFileHolds(workspace, file, text)).resolves.toBe(true)
    const sameSizeOtherByte = `${text.slice(0, -2)}]\n`
    await expect(workspaceFileHolds(workspace, file, sameSizeOtherByte)).resolves.toBe(false)
    await expect(workspaceFileHolds(workspace, file, `${text} `)).resolves.toBe(false)
    await writeFile(file, '')
    await expect(workspaceFileHolds(workspace, file, '')).resolves.toBe(true)
    await expect(workspaceFileHolds(workspace, path.join(workspace, 'none'), text)).resolves.toBe(
      undefined
    )
  })

  it("refuses a link in the file's place", async () => {
    const workspace = await scratchFolder('holds-link')
    const outside = path.join(await scratchFolder('holds-outside'), 'secret')
    await writeFile(outside, text)
    await symlink(outside, path.join(workspace, 'echo3d.lock.json'))
    await expect(
      workspaceFileHolds(workspace, path.join(workspace, 'echo3d.lock.json'), text)
    ).rejects.toThrow(WorkspaceBoundaryError)
  })
})
