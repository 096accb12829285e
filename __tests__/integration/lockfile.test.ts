import { describe, expect, it } from '@jest/globals'
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import {
  LOCKFILE,
  filesOutput,
  listAssets,
  listFiles,
  log,
  pull,
  sharedEmulator,
  transfers
} from '../support.ts'

const emulator = sharedEmulator()
const ENTRIES = `${DESK_LAMP}: glb, original\n${ROBOT}: usdz`

async function readLock(workspace: string): Promise<string> {
  return readFile(path.join(workspace, LOCKFILE), 'utf8')
}

describe('the lockfile', () => {
  it('records every file, and an unchanged re-run transfers nothing and rewrites it byte for byte', async () => {
    const first = await pull(emulator(), { entries: ENTRIES })
    expect(first.code).toBe(0)
    const lock = JSON.parse(await readLock(first.workspace)) as {
      version: number
      files: Record<string, unknown>[]
    }
    expect(lock.version).toBe(1)
    const files = filesOutput(first)
    expect(lock.files).toEqual(
      files
        .map(({ path: filePath, entry, format, storageId, bytes, sha256, model }) => ({
          path: filePath,
          entry,
          format,
          storageId,
          bytes,
          sha256,
          ...(model ? { model } : {})
        }))
        .sort((a, b) => (a.path < b.path ? -1 : 1))
    )

    emulator().requests.splice(0)
    const before = await readLock(first.workspace)
    const second = await pull(emulator(), { entries: ENTRIES }, { workspace: first.workspace })
    expect(second.code).toBe(0)
    expect(transfers(emulator())).toBe(0)
    expect(emulator().requests.filter(request => request.route === 'query')).toHaveLength(1)
    expect(filesOutput(second).every(file => file.source === 'unchanged')).toBe(true)
    // An unchanged model keeps the statistics its record holds.
    expect(filesOutput(second).map(file => file.model)).toEqual(files.map(file => file.model))
    expect(second.outputs.unchanged).toBe(String(files.length))
    expect(await readLock(second.workspace)).toBe(before)
  })

  it('pulls again a file someone edited, and a new version after a re-upload', async () => {
    const first = await pull(emulator(), { entries: `${CHAIR}: glb\n${ROBOT}: usdz` })
    await writeFile(path.join(first.workspace, 'assets/echo3d/Robot.usdz'), 'edited by hand')
    emulator().reupload(CHAIR)
    emulator().requests.splice(0)

    const second = await pull(
      emulator(),
      { entries: `${CHAIR}: glb\n${ROBOT}: usdz` },
      { workspace: first.workspace }
    )
    expect(second.code).toBe(0)
    expect(log(second)).toMatch(
      /Robot.usdz: the file on disk differs from the lockfile; pulling it again/
    )
    const sources = Object.fromEntries(filesOutput(second).map(file => [file.path, file.source]))
    expect(sources).toEqual({
      'assets/echo3d/Chair.glb': 'download',
      'assets/echo3d/Robot.usdz': 'download'
    })
    const chair = filesOutput(second).find(file => file.path.endsWith('Chair.glb'))!
    expect(chair.storageId).toBe(emulator().storageIdOf(CHAIR, 'glb'))
    expect(await readLock(second.workspace)).toContain(chair.storageId!)
  })

  it('says a corrupt lockfile is ignored, pulls in full and rewrites it', async () => {
    const first = await pull(emulator(), { entries: ROBOT })
    await writeFile(
      path.join(first.workspace, LOCKFILE),
      '{"version":1,"files":[{"path":"assets/echo3d/Robot.glb"'
    )
    emulator().requests.splice(0)
    const second = await pull(emulator(), { entries: ROBOT }, { workspace: first.workspace })
    expect(second.code).toBe(0)
    expect(log(second)).toMatch(
      /::warning::The lockfile assets\/echo3d\/echo3d.lock.json is corrupt or was edited by hand \(it is not valid JSON\)/
    )
    expect(transfers(emulator())).toBe(1)
    const rewritten = JSON.parse(await readLock(second.workspace)) as { files: unknown[] }
    expect(rewritten.files).toHaveLength(1)
  })

  it("is not written with lockfile: ''", async () => {
    const result = await pull(emulator(), { entries: ROBOT, lockfile: '' })
    expect(result.code).toBe(0)
    expect(await listFiles(result.workspace)).toEqual(['assets/echo3d/Robot.glb'])
  })
})

describe('mode: check', () => {
  it('passes when everything is up to date, with one metadata query and nothing written', async () => {
    const first = await pull(emulator(), { entries: ENTRIES })
    emulator().requests.splice(0)
    const before = await listFiles(first.workspace)
    const lock = await readLock(first.workspace)
    const check = await pull(
      emulator(),
      { entries: ENTRIES, mode: 'check' },
      { workspace: first.workspace }
    )
    expect(check.code).toBe(0)
    expect(check.outputs.stale).toBe('[]')
    expect(emulator().requests.map(request => request.route)).toEqual(['query'])
    expect(await listFiles(first.workspace)).toEqual(before)
    expect(await readLock(first.workspace)).toBe(lock)
    expect(check.summary).toContain('5 of 5 selected files are up to date; 0 missing or stale.')
  })

  it('fails and lists what is missing or stale, transferring nothing', async () => {
    const first = await pull(emulator(), {
      entries: `${CHAIR}: glb\n${ROBOT}: usdz, glb\n${DESK_LAMP}: glb`
    })
    await rm(path.join(first.workspace, 'assets/echo3d/Robot.glb'))
    await writeFile(path.join(first.workspace, 'assets/echo3d/Desk Lamp.glb'), 'changed')
    emulator().reupload(CHAIR)
    emulator().requests.splice(0)

    const check = await pull(
      emulator(),
      {
        entries: `${CHAIR}: glb\n${ROBOT}: usdz, glb\n${DESK_LAMP}: glb, fbx`,
        mode: 'check',
        'convert-missing': 'true'
      },
      { workspace: first.workspace }
    )
    expect(check.code).toBe(1)
    expect(transfers(emulator())).toBe(0)
    const stale = JSON.parse(check.outputs.stale) as { path: string; reason: string }[]
    expect(Object.fromEntries(stale.map(asset => [asset.path, asset.reason]))).toEqual({
      'assets/echo3d/Chair.glb': 'echo3D has a newer version (its storage ID changed)',
      'assets/echo3d/Robot.glb': 'missing on disk',
      'assets/echo3d/Desk Lamp.glb': 'the file on disk differs from the lockfile',
      'assets/echo3d/Desk Lamp.fbx': 'echo3D has no fbx file yet: it needs a conversion'
    })
    expect(log(check)).toMatch(/4 assets missing or stale:/)
    expect(check.summary).toMatch(/<th>Why<\/th>/)
    expect(check.summary).toContain('<td>missing on disk</td>')
  })

  it('finds a converted file up to date after the pull that converted it', async () => {
    const inputs = { entries: `${CHAIR}: stl`, 'convert-missing': 'true' }
    const first = await pull(emulator(), inputs)
    expect(filesOutput(first)[0].source).toBe('conversion')
    const check = await pull(
      emulator(),
      { ...inputs, mode: 'check' },
      { workspace: first.workspace }
    )
    expect(check.code).toBe(0)
    expect(check.outputs.stale).toBe('[]')
  })

  it('needs the lockfile', async () => {
    const check = await pull(emulator(), { entries: ROBOT, mode: 'check', lockfile: '' })
    expect(check.code).toBe(1)
    expect(log(check)).toMatch(
      /Input 'mode': `check` compares against the lockfile, and `lockfile` is off/
    )
    expect(emulator().requests).toEqual([])
  })
})

describe('prune', () => {
  it('deletes only files an earlier run wrote that are no longer selected', async () => {
    const first = await pull(emulator(), { entries: ENTRIES })
    const workspace = first.workspace
    await writeFile(path.join(workspace, 'assets/echo3d/notes.txt'), 'mine, not the action’s')
    await writeFile(path.join(workspace, 'assets/echo3d/Desk Lamp.mtl'), 'edited material')

    const second = await pull(
      emulator(),
      { entries: `${ROBOT}: usdz`, prune: 'true' },
      { workspace }
    )
    expect(second.code).toBe(0)
    expect(await listAssets(workspace)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Robot.usdz',
      'assets/echo3d/notes.txt'
    ])
    expect(log(second)).toMatch(
      /Not pruning assets\/echo3d\/Desk Lamp.mtl: it changed since the action wrote it/
    )
    expect(second.summary).toContain('<h3>Pruned</h3>')
    const lock = JSON.parse(await readLock(workspace)) as { files: { path: string }[] }
    expect(lock.files.map(file => file.path)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Robot.usdz'
    ])
  })

  it('keeps everything without prune', async () => {
    const first = await pull(emulator(), { entries: ENTRIES })
    const second = await pull(
      emulator(),
      { entries: `${ROBOT}: usdz` },
      { workspace: first.workspace }
    )
    expect(second.code).toBe(0)
    expect(await listAssets(first.workspace)).toHaveLength(5)
  })
})
