// The lockfile, `mode: check` and prune against the engine in-process, run after run on one
// workspace. The check step's exit code and outputs are checked end to end in __tests__/e2e/.
import { describe, expect, it } from '@jest/globals'
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startEmulator } from '../../emulator/server.ts'
import { checkSummary, checkWith, pruneWith, pullSummary, pullWith } from '../../harness/engine.ts'
import { LOCKFILE, listAssets, listFiles, sharedEmulator, transfers } from '../support.ts'

const emulator = sharedEmulator()
const ENTRIES = `${DESK_LAMP}: glb, original\n${ROBOT}: usdz`

async function readLock(workspace: string): Promise<string> {
  return readFile(path.join(workspace, LOCKFILE), 'utf8')
}

const routes = () => emulator().requests.map(request => request.route)

describe('the lockfile', () => {
  it('records every file, and an unchanged re-run transfers nothing and rewrites it byte for byte', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ENTRIES } })
    expect(first.report.failures).toEqual([])
    const lock = JSON.parse(await readLock(first.workspace)) as {
      version: number
      files: Record<string, unknown>[]
    }
    expect(lock.version).toBe(1)
    const { files } = first.report
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
    const second = await pullWith(emulator(), {
      inputs: { entries: ENTRIES },
      workspace: first.workspace
    })
    expect(second.report.failures).toEqual([])
    expect(routes()).toEqual(['query'])
    expect(second.report.files.map(file => file.source)).toEqual(Array(5).fill('unchanged'))
    // An unchanged model keeps the statistics its record holds.
    expect(second.report.files.map(file => file.model)).toEqual(files.map(file => file.model))
    expect(second.log()).toContain('✓ 5 files already up to date on disk: nothing transferred')
    expect(await readLock(second.workspace)).toBe(before)
  })

  // Files on disk are read piece after piece into one buffer: the format checks must keep copies
  // of the file's start and of a glTF's JSON, not the buffer that the next piece overwrites.
  it('finds models of several megabytes unchanged, as the lockfile records them', async () => {
    const minBytes = 3 * 1024 * 1024
    const large = await startEmulator({
      entries: [
        { id: 'hangar', filename: 'Hangar.glb', derived: [], minBytes },
        { id: 'terrain', filename: 'Terrain.gltf', derived: [], minBytes }
      ]
    })
    try {
      const inputs = { entries: 'hangar\nterrain: gltf' }
      const first = await pullWith(large, { inputs })
      expect(first.report.failures).toEqual([])
      expect(first.report.files.map(file => file.bytes > minBytes)).toEqual([true, true])
      const second = await pullWith(large, { inputs, workspace: first.workspace })
      expect(second.report.files.map(file => file.source)).toEqual(['unchanged', 'unchanged'])
      expect(second.events.filter(event => event.kind === 'stale-on-disk')).toEqual([])
    } finally {
      await large.close()
    }
  })

  it('pulls again a file someone edited, and a new version after a re-upload', async () => {
    const inputs = { entries: `${CHAIR}: glb\n${ROBOT}: usdz` }
    const first = await pullWith(emulator(), { inputs })
    await writeFile(path.join(first.workspace, 'assets/echo3d/Robot.usdz'), 'edited by hand')
    emulator().reupload(CHAIR)
    emulator().requests.splice(0)

    const second = await pullWith(emulator(), { inputs, workspace: first.workspace })
    expect(second.report.failures).toEqual([])
    expect(second.log()).toMatch(
      /Robot.usdz: the file on disk differs from the lockfile; pulling it again/
    )
    const sources = Object.fromEntries(second.report.files.map(file => [file.path, file.source]))
    expect(sources).toEqual({
      'assets/echo3d/Chair.glb': 'download',
      'assets/echo3d/Robot.usdz': 'download'
    })
    const chair = second.report.files.find(file => file.path.endsWith('Chair.glb'))!
    expect(chair.storageId).toBe(emulator().storageIdOf(CHAIR, 'glb'))
    expect(await readLock(second.workspace)).toContain(chair.storageId!)
  })

  it('says a corrupt lockfile is ignored, pulls in full and rewrites it', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ROBOT } })
    await writeFile(
      path.join(first.workspace, LOCKFILE),
      '{"version":1,"files":[{"path":"assets/echo3d/Robot.glb"'
    )
    emulator().requests.splice(0)
    const second = await pullWith(emulator(), {
      inputs: { entries: ROBOT },
      workspace: first.workspace
    })
    expect(second.report.failures).toEqual([])
    expect(second.log()).toMatch(
      /The lockfile assets\/echo3d\/echo3d.lock.json is corrupt or was edited by hand \(it is not valid JSON\)/
    )
    expect(transfers(emulator())).toBe(1)
    const rewritten = JSON.parse(await readLock(second.workspace)) as { files: unknown[] }
    expect(rewritten.files).toHaveLength(1)
  })

  it("is not written with lockfile: ''", async () => {
    const run = await pullWith(emulator(), { inputs: { entries: ROBOT, lockfile: '' } })
    expect(run.report.failures).toEqual([])
    expect(await listFiles(run.workspace)).toEqual(['assets/echo3d/Robot.glb'])
  })
})

describe('mode: check', () => {
  it('passes when everything is up to date, with one metadata query and nothing written', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ENTRIES } })
    emulator().requests.splice(0)
    const before = await listFiles(first.workspace)
    const lock = await readLock(first.workspace)
    const check = await checkWith(emulator(), {
      inputs: { entries: ENTRIES },
      workspace: first.workspace
    })
    expect(check.report).toEqual({ selected: 5, stale: [], failures: [], overBudget: [] })
    expect(routes()).toEqual(['query'])
    expect(await listFiles(first.workspace)).toEqual(before)
    expect(await readLock(first.workspace)).toBe(lock)
    expect(check.log()).toContain('All 5 assets are up to date')
    expect(await checkSummary(check)).toContain(
      '5 of 5 selected files are up to date; 0 missing or stale.'
    )
  })

  it('lists what is missing or stale, and why, transferring nothing', async () => {
    const first = await pullWith(emulator(), {
      inputs: { entries: `${CHAIR}: glb\n${ROBOT}: usdz, glb\n${DESK_LAMP}: glb` }
    })
    await rm(path.join(first.workspace, 'assets/echo3d/Robot.glb'))
    await writeFile(path.join(first.workspace, 'assets/echo3d/Desk Lamp.glb'), 'changed')
    emulator().reupload(CHAIR)
    emulator().requests.splice(0)

    const check = await checkWith(emulator(), {
      inputs: {
        entries: `${CHAIR}: glb\n${ROBOT}: usdz, glb\n${DESK_LAMP}: glb, fbx`,
        'convert-missing': 'true'
      },
      workspace: first.workspace
    })
    expect(transfers(emulator())).toBe(0)
    const { stale } = check.report
    expect(Object.fromEntries(stale.map(asset => [asset.path, asset.reason]))).toEqual({
      'assets/echo3d/Chair.glb': 'echo3D has a newer version (its storage ID changed)',
      'assets/echo3d/Robot.glb': 'missing on disk',
      'assets/echo3d/Desk Lamp.glb': 'the file on disk differs from the lockfile',
      'assets/echo3d/Desk Lamp.fbx': 'echo3D has no fbx file yet: it needs a conversion'
    })
    expect(check.log()).toContain('✗ assets/echo3d/Robot.glb: missing on disk')
    const summary = await checkSummary(check)
    expect(summary).toContain('1 of 5 selected files are up to date; 4 missing or stale.')
    expect(summary).toMatch(/<th>Why<\/th>/)
    expect(summary).toContain('<td>missing on disk</td>')
  })

  it('finds a converted file up to date after the pull that converted it', async () => {
    const inputs = { entries: `${CHAIR}: stl`, 'convert-missing': 'true' }
    const first = await pullWith(emulator(), { inputs })
    expect(first.report.files[0].source).toBe('conversion')
    const check = await checkWith(emulator(), { inputs, workspace: first.workspace })
    expect(check.report.stale).toEqual([])
  })

  it('needs the lockfile, and says so before any request', async () => {
    await expect(
      checkWith(emulator(), { inputs: { entries: ROBOT, lockfile: '' } })
    ).rejects.toThrow(/Input 'mode': `check` compares against the lockfile, and `lockfile` is off/)
    expect(emulator().requests).toEqual([])
  })
})

describe('prune', () => {
  it('deletes only files an earlier run wrote that are no longer selected', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ENTRIES } })
    const { workspace } = first
    await writeFile(path.join(workspace, 'assets/echo3d/notes.txt'), 'mine, not the action’s')
    await writeFile(path.join(workspace, 'assets/echo3d/Desk Lamp.mtl'), 'edited material')

    const second = await pullWith(emulator(), {
      inputs: { entries: `${ROBOT}: usdz`, prune: 'true' },
      workspace
    })
    expect(second.report.failures).toEqual([])
    expect(await listAssets(workspace)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Robot.usdz',
      'assets/echo3d/notes.txt'
    ])
    expect(second.report.pruned.map(file => file.path)).toEqual([
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.obj',
      'assets/echo3d/Lamp_BaseColor.png'
    ])
    expect(second.log()).toMatch(
      /Not pruning assets\/echo3d\/Desk Lamp.mtl: it changed since the action wrote it/
    )
    expect(await pullSummary(second)).toContain(
      '<h3>Pruned</h3>\n<ul>\n<li>assets/echo3d/Desk Lamp.glb</li>'
    )
    const lock = JSON.parse(await readLock(workspace)) as { files: { path: string }[] }
    expect(lock.files.map(file => file.path)).toEqual([
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Robot.usdz'
    ])
  })

  it('runs on its own, as the command-line program prunes: a dry run lists, then it deletes, transferring nothing', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ENTRIES } })
    const { workspace } = first
    emulator().requests.splice(0)
    const settings = { inputs: { entries: `${ROBOT}: usdz` }, workspace }
    const listed = await pruneWith(emulator(), { ...settings, dryRun: true })
    const unselected = [
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.mtl',
      'assets/echo3d/Desk Lamp.obj',
      'assets/echo3d/Lamp_BaseColor.png'
    ]
    expect(listed.report.candidates.map(file => file.path)).toEqual(unselected)
    expect(listed.report.pruned).toEqual([])
    expect(await listAssets(workspace)).toHaveLength(5)

    const pruned = await pruneWith(emulator(), settings)
    expect(pruned.report.pruned.map(file => file.path)).toEqual(unselected)
    expect(await listAssets(workspace)).toEqual(['assets/echo3d/Robot.usdz'])
    expect(routes()).toEqual(['query', 'query'])
    const lock = JSON.parse(await readLock(workspace)) as { files: { path: string }[] }
    expect(lock.files.map(file => file.path)).toEqual(['assets/echo3d/Robot.usdz'])
  })

  // A mistyped tag selects nothing: every file it stood for would look unselected.
  it('prunes nothing while a tag selects no entry, with a pull or on its own', async () => {
    const first = await pullWith(emulator(), { inputs: { tags: 'release, furniture' } })
    const { workspace } = first
    const pulled = await listAssets(workspace)
    expect(pulled.length).toBe(3)

    const typo = await pullWith(emulator(), {
      inputs: { tags: 'release, furnitur', prune: 'true' },
      workspace
    })
    expect(typo.report.failures).toEqual([])
    expect(typo.report.pruned).toEqual([])
    expect(await listAssets(workspace)).toEqual(pulled)
    expect(typo.log()).toContain(
      'Tags release, furnitur selected 2 entries, none of them by tag furnitur: check the tag names'
    )
    expect(typo.log()).toContain('Not pruning: tag furnitur selected no entry')

    const alone = await pruneWith(emulator(), { inputs: { tags: 'relase' }, workspace })
    expect(alone.report.unmatchedTags).toEqual(['relase'])
    expect(alone.report.candidates).toEqual([])
    expect(await listAssets(workspace)).toEqual(pulled)

    const fixed = await pruneWith(emulator(), { inputs: { tags: 'release' }, workspace })
    expect(fixed.report.pruned.length).toBeGreaterThan(0)
  })

  it('keeps everything without prune', async () => {
    const first = await pullWith(emulator(), { inputs: { entries: ENTRIES } })
    const second = await pullWith(emulator(), {
      inputs: { entries: `${ROBOT}: usdz` },
      workspace: first.workspace
    })
    expect(second.report.pruned).toEqual([])
    expect(await listAssets(first.workspace)).toHaveLength(5)
  })
})
