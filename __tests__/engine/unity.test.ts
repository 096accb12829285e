// Unity projects against the engine in-process: the `.meta` files beside what a pull writes into
// Assets/, stable GUIDs, Unity's own `.meta` kept byte for byte, prune and moves taking theirs
// along, and the word on what Unity needs to import the models.
import { describe, expect, it } from '@jest/globals'
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { checkSummary, checkWith, pruneWith, pullSummary, pullWith } from '../../harness/engine.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { fileMetaText, guidFor, guidOf } from '../../src/engine/unity/meta-text.ts'
import { listFiles, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()

const DESTINATION = 'Assets/Models/echo3D'
const PULL = { entries: `${DESK_LAMP}: glb, usdz\n${ROBOT}`, path: DESTINATION }
const GLTFAST_MANIFEST = JSON.stringify({ dependencies: { 'com.unity.cloud.gltfast': '6.0.0' } })

/** A Unity project made in the test: its version file and, unless null, its packages. */
async function unityProject(manifest: string | null = GLTFAST_MANIFEST): Promise<string> {
  const workspace = path.join(await scratchFolder('unity'), 'project')
  await writeVersionFile(workspace)
  await mkdir(path.join(workspace, 'Packages'), { recursive: true })
  if (manifest !== null)
    await writeFile(path.join(workspace, 'Packages', 'manifest.json'), manifest)
  return workspace
}

async function writeVersionFile(project: string): Promise<void> {
  await mkdir(path.join(project, 'ProjectSettings'), { recursive: true })
  await writeFile(
    path.join(project, 'ProjectSettings', 'ProjectVersion.txt'),
    'm_EditorVersion: 6000.0.23f1\n'
  )
}

async function metasOf(workspace: string): Promise<Record<string, string>> {
  const metas: Record<string, string> = {}
  for (const file of await listFiles(workspace)) {
    if (file.endsWith('.meta')) metas[file] = await readFile(path.join(workspace, file), 'utf8')
  }
  return metas
}

const guid = (text: string | undefined) => guidOf(text ?? '')

describe('a pull into a Unity project', () => {
  it('writes a .meta beside each model, the lockfile and each folder under Assets, and none elsewhere', async () => {
    const workspace = await unityProject()
    const run = await pullWith(emulator(), { inputs: PULL, workspace })
    expect(run.report.failures).toEqual([])
    const metas = await metasOf(workspace)
    expect(Object.keys(metas).sort()).toEqual([
      'Assets/Models.meta',
      'Assets/Models/echo3D.meta',
      'Assets/Models/echo3D/Desk Lamp.glb.meta',
      'Assets/Models/echo3D/Desk Lamp.usdz.meta',
      'Assets/Models/echo3D/Robot.glb.meta',
      'Assets/Models/echo3D/echo3d.lock.json.meta'
    ])
    expect(metas['Assets/Models/echo3D/Robot.glb.meta']).toBe(
      `fileFormatVersion: 2\nguid: ${guidFor('Assets/Models/echo3D/Robot.glb')}\n`
    )
    expect(metas['Assets/Models.meta']).toContain('folderAsset: yes\nDefaultImporter:')
    const guids = Object.values(metas).map(guid)
    expect(new Set(guids).size).toBe(6)
    for (const value of guids) expect(value).toMatch(/^[0-9a-f]{32}$/)
    expect(run.report.unity).toEqual(
      expect.objectContaining({
        project: '',
        kept: [],
        removed: [],
        importWarnings: [expect.stringContaining('Unity does not import USDZ files (1 file)')]
      })
    )
    expect(run.report.unity?.written).toHaveLength(6)
    expect(run.log()).toContain('Unity project: 6 .meta files written, 0 kept, 0 removed')
  })

  it('gives the same GUIDs in two fresh workspaces, and keeps them when a model changes', async () => {
    const [first, second] = [await unityProject(), await unityProject()]
    await pullWith(emulator(), { inputs: PULL, workspace: first })
    await pullWith(emulator(), { inputs: PULL, workspace: second })
    const metas = await metasOf(first)
    expect(await metasOf(second)).toEqual(metas)

    emulator().reupload(ROBOT)
    try {
      const refresh = await pullWith(emulator(), { inputs: PULL, workspace: first })
      const robot = refresh.report.files.find(file => file.entry === ROBOT)
      expect(robot?.source).toBe('download')
      expect(await metasOf(first)).toEqual(metas)
      expect(refresh.report.unity?.written).toEqual([])
    } finally {
      emulator().reset()
    }
  })

  it('keeps a .meta that Unity rewrote byte for byte, and reports its GUID', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    const metaPath = path.join(workspace, DESTINATION, 'Robot.glb.meta')
    const unitys = `fileFormatVersion: 2\r\nguid: 0123456789ABCDEF0123456789abcdef\r\nScriptedImporter:\r\n  userData: tuned by hand\r\n`
    await writeFile(metaPath, unitys)
    const again = await pullWith(emulator(), { inputs: PULL, workspace })
    expect(await readFile(metaPath, 'utf8')).toBe(unitys)
    expect(again.report.unity?.kept).toContainEqual({
      path: `${DESTINATION}/Robot.glb.meta`,
      guid: '0123456789abcdef0123456789abcdef'
    })
    expect(again.report.unity?.written).toEqual([])
  })

  it('prunes a model with its .meta, and a folder it emptied with the folder’s', async () => {
    const workspace = await unityProject()
    const inputs = { ...PULL, 'file-name': '{entry}/{name}.{ext}' }
    await pullWith(emulator(), { inputs, workspace })
    const pruned = await pullWith(emulator(), {
      inputs: { ...inputs, entries: `${DESK_LAMP}: glb, usdz`, prune: 'true' },
      workspace
    })
    expect(pruned.report.pruned.map(file => file.path)).toEqual([
      `${DESTINATION}/${ROBOT}/Robot.glb`
    ])
    expect(pruned.report.unity?.removed).toEqual([
      `${DESTINATION}/${ROBOT}/Robot.glb.meta`,
      `${DESTINATION}/${ROBOT}.meta`
    ])
    const files = await listFiles(path.join(workspace, DESTINATION))
    expect(files.filter(file => file.includes(ROBOT))).toEqual([])
    expect(files).toContain(`${DESK_LAMP}.meta`)
  })

  it('leaves an emptied folder whose .meta a person made, with its .meta', async () => {
    const workspace = await unityProject()
    const inputs = { ...PULL, 'file-name': '{entry}/{name}.{ext}' }
    await pullWith(emulator(), { inputs, workspace })
    const folderMeta = path.join(workspace, DESTINATION, `${ROBOT}.meta`)
    const persons =
      'fileFormatVersion: 2\nguid: 00000000000000000000000000000001\nfolderAsset: yes\n'
    await writeFile(folderMeta, persons)
    const pruned = await pullWith(emulator(), {
      inputs: { ...inputs, entries: `${DESK_LAMP}: glb, usdz`, prune: 'true' },
      workspace
    })
    expect(pruned.report.unity?.removed).toEqual([`${DESTINATION}/${ROBOT}/Robot.glb.meta`])
    expect(await readFile(folderMeta, 'utf8')).toBe(persons)
    expect((await lstat(path.join(workspace, DESTINATION, ROBOT))).isDirectory()).toBe(true)
  })

  it('moves a model’s .meta along when its path changes, keeping its GUID', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    const before = await readFile(path.join(workspace, DESTINATION, 'Robot.glb.meta'), 'utf8')
    const moved = await pullWith(emulator(), {
      inputs: { ...PULL, 'file-name': 'models/{name}.{ext}', prune: 'true' },
      workspace
    })
    expect(moved.report.unity?.written).toContainEqual({
      path: `${DESTINATION}/models/Robot.glb.meta`,
      guid: guid(before),
      movedFrom: `${DESTINATION}/Robot.glb.meta`
    })
    expect(
      await readFile(path.join(workspace, DESTINATION, 'models', 'Robot.glb.meta'), 'utf8')
    ).toBe(before)
    const metas = await metasOf(workspace)
    expect(metas[`${DESTINATION}/Robot.glb.meta`]).toBeUndefined()
    expect(metas[`${DESTINATION}/models.meta`]).toContain('folderAsset: yes')

    // Another model at the path the GUID moved away from gets one of its own.
    const taker = await pullWith(emulator(), {
      inputs: { entries: DESK_LAMP, path: DESTINATION, 'file-name': 'Robot.{ext}' },
      workspace
    })
    const [fresh] = taker.report.unity?.written ?? []
    expect(fresh.path).toBe(`${DESTINATION}/Robot.glb.meta`)
    expect(fresh.guid).not.toBe(guid(before))
  })

  it('a standalone prune takes the .meta along too', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    const run = await pruneWith(emulator(), {
      inputs: { entries: ROBOT, path: DESTINATION },
      workspace
    })
    expect(run.report.unity?.removed).toEqual([
      `${DESTINATION}/Desk Lamp.glb.meta`,
      `${DESTINATION}/Desk Lamp.usdz.meta`
    ])
  })

  it('names the .meta files a dry run would remove with the files, and removes nothing', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    await rm(path.join(workspace, DESTINATION, 'Desk Lamp.usdz.meta'))
    const before = await metasOf(workspace)
    const run = await pruneWith(emulator(), {
      inputs: { entries: ROBOT, path: DESTINATION },
      workspace,
      dryRun: true
    })
    expect(run.report.candidates.map(file => file.path)).toEqual([
      `${DESTINATION}/Desk Lamp.glb`,
      `${DESTINATION}/Desk Lamp.usdz`
    ])
    expect(run.report.candidateMetas).toEqual([`${DESTINATION}/Desk Lamp.glb.meta`])
    expect(await metasOf(workspace)).toEqual(before)
  })
})

describe('mode: check in a Unity project', () => {
  it('passes when every .meta is there, and lists each missing one, which a pull then writes', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    expect((await checkWith(emulator(), { inputs: PULL, workspace })).report.stale).toEqual([])

    await rm(path.join(workspace, DESTINATION, 'Robot.glb.meta'))
    await rm(path.join(workspace, 'Assets/Models.meta'))
    const check = await checkWith(emulator(), { inputs: PULL, workspace })
    expect(check.report.stale).toEqual([
      expect.objectContaining({ path: 'Assets/Models.meta', entry: null, format: 'meta' }),
      expect.objectContaining({
        path: `${DESTINATION}/Robot.glb.meta`,
        entry: ROBOT,
        format: 'meta'
      })
    ])
    expect(check.report.stale[1].reason).toContain(
      'Unity gives the file a new GUID on every machine'
    )
    const summary = await checkSummary(check)
    expect(summary).toContain(
      '3 of 3 selected files are up to date; 0 missing or stale; 2 Unity .meta files missing.'
    )
    expect(summary).toContain(`<td>${DESTINATION}/Robot.glb.meta</td>`)
    await expect(lstat(path.join(workspace, 'Assets/Models.meta'))).rejects.toThrow()

    await pullWith(emulator(), { inputs: PULL, workspace })
    expect((await checkWith(emulator(), { inputs: PULL, workspace })).report.stale).toEqual([])
  })

  it('asks for no .meta outside a Unity project, nor for a model that is missing', async () => {
    const plain = path.join(await scratchFolder('unity'), 'plain')
    await pullWith(emulator(), { inputs: PULL, workspace: plain })
    expect((await checkWith(emulator(), { inputs: PULL, workspace: plain })).report.stale).toEqual(
      []
    )

    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    await rm(path.join(workspace, DESTINATION, 'Robot.glb'))
    await rm(path.join(workspace, DESTINATION, 'Robot.glb.meta'))
    const check = await checkWith(emulator(), { inputs: PULL, workspace })
    expect(check.report.stale.map(stale => stale.path)).toEqual([`${DESTINATION}/Robot.glb`])
  })
})

describe('where no .meta is written', () => {
  it('writes none when the workspace is not a Unity project', async () => {
    const run = await pullWith(emulator(), { inputs: PULL })
    expect(run.report.unity).toBeUndefined()
    expect((await listFiles(run.workspace)).filter(file => file.endsWith('.meta'))).toEqual([])
  })

  it('writes none outside Assets, and says why', async () => {
    const workspace = await unityProject()
    const run = await pullWith(emulator(), { inputs: { ...PULL, path: 'Models' }, workspace })
    expect(run.report.unity).toBeUndefined()
    expect((await listFiles(workspace)).filter(file => file.endsWith('.meta'))).toEqual([])
    expect(run.log()).toContain(
      "`path` (Models) is outside the Unity project's Assets folder, so no .meta files are written"
    )
    const byDefault = await pullWith(emulator(), { inputs: { entries: ROBOT }, workspace })
    expect(byDefault.log()).toContain(
      "`path` (assets/echo3d) is outside the Unity project's Assets folder; it names Assets in another case, which on macOS and Windows puts the models in Assets without their .meta files"
    )
  })

  it('writes none with unity-project: false, and finds a project in a folder that unity-project names', async () => {
    const workspace = await unityProject()
    const off = await pullWith(emulator(), {
      inputs: { ...PULL, 'unity-project': 'false' },
      workspace
    })
    expect(off.report.unity).toBeUndefined()

    const repository = path.join(await scratchFolder('unity-monorepo'), 'repo')
    await writeVersionFile(path.join(repository, 'game'))
    const inGame = await pullWith(emulator(), {
      inputs: { entries: ROBOT, path: 'game/Assets/echo3D', 'unity-project': 'game' },
      workspace: repository
    })
    expect(inGame.report.unity?.project).toBe('game')
    // GUIDs come from the path in the project, not in the repository.
    expect(inGame.report.unity?.written).toContainEqual({
      path: 'game/Assets/echo3D/Robot.glb.meta',
      guid: guidFor('Assets/echo3D/Robot.glb')
    })
  })

  it('refuses a unity-project without ProjectVersion.txt before any request', async () => {
    const requests = emulator().requests.length
    await expect(
      pullWith(emulator(), { inputs: { ...PULL, 'unity-project': 'true' } })
    ).rejects.toThrow("Input 'unity-project': '.' holds no ProjectSettings/ProjectVersion.txt")
    expect(emulator().requests.length).toBe(requests)
  })
})

describe('what Unity needs to import the models', () => {
  it('warns of a missing glTF importer and decoders, and of USDZ, in the log and the summary', async () => {
    const workspace = await unityProject(JSON.stringify({ dependencies: {} }))
    const run = await pullWith(emulator(), { inputs: { ...PULL, optimize: 'true' }, workspace })
    const warnings = run.report.unity?.importWarnings ?? []
    expect(warnings).toEqual([
      expect.stringContaining(
        'Unity needs a glTF importer for 2 GLB or glTF files, and Packages/manifest.json names none of'
      ),
      expect.stringContaining('2 models use meshopt-compressed geometry (EXT_meshopt_compression)'),
      expect.stringContaining('Unity does not import USDZ files')
    ])
    const summary = await pullSummary(run)
    expect(summary).toContain('<h3>Unity project</h3>')
    expect(summary).toContain('6 .meta files written, 0 kept as they were, 0 removed.')
    expect(summary).toContain('⚠️ Unity needs a glTF importer')
  })

  it('says nothing of packages the manifest has, and names a missing manifest', async () => {
    const withPackages = await unityProject(
      JSON.stringify({
        dependencies: {
          'com.unity.cloud.gltfast': '6.0.0',
          'com.unity.meshopt.decompress': '0.1.0'
        }
      })
    )
    const run = await pullWith(emulator(), {
      inputs: { entries: ROBOT, path: DESTINATION, optimize: 'true' },
      workspace: withPackages
    })
    expect(run.report.unity?.importWarnings).toEqual([])

    // An embedded package is a folder of Packages/, which the manifest does not list.
    const embedded = await unityProject(JSON.stringify({ dependencies: {} }))
    await mkdir(path.join(embedded, 'Packages', 'com.unity.cloud.gltfast'))
    const inputs = { entries: ROBOT, path: DESTINATION }
    const withEmbedded = await pullWith(emulator(), { inputs, workspace: embedded })
    expect(withEmbedded.report.unity?.importWarnings).toEqual([])

    const without = await unityProject(null)
    const bare = await pullWith(emulator(), {
      inputs: { entries: ROBOT, path: DESTINATION },
      workspace: without
    })
    expect(bare.report.unity?.importWarnings).toEqual([
      expect.stringContaining(
        'the project has no readable Packages/manifest.json, so none of com.unity.cloud.gltfast'
      )
    ])
  })
})

describe('.meta files against a hostile checkout', () => {
  it('never follows a .meta that is a link, nor writes through one', async () => {
    const workspace = await unityProject()
    const outside = path.join(path.dirname(workspace), 'outside.txt')
    await writeFile(outside, 'guid: ffffffffffffffffffffffffffffffff\n')
    await mkdir(path.join(workspace, DESTINATION), { recursive: true })
    await symlink(outside, path.join(workspace, DESTINATION, 'Robot.glb.meta'))
    await symlink(outside, path.join(workspace, 'Assets', 'Models.meta'))
    const run = await pullWith(emulator(), { inputs: PULL, workspace })
    expect(run.report.failures).toEqual([])
    expect(await readFile(outside, 'utf8')).toBe('guid: ffffffffffffffffffffffffffffffff\n')
    expect(run.report.unity?.kept).toEqual([
      { path: 'Assets/Models.meta' },
      { path: `${DESTINATION}/Robot.glb.meta` }
    ])
    for (const link of ['Assets/Models.meta', `${DESTINATION}/Robot.glb.meta`])
      expect((await lstat(path.join(workspace, link))).isSymbolicLink()).toBe(true)
  })

  it('gives a file another GUID where its own is held by another .meta, the same on every run', async () => {
    const workspace = await unityProject()
    await mkdir(path.join(workspace, DESTINATION), { recursive: true })
    const taken = guidFor(`${DESTINATION}/Robot.glb`)
    await writeFile(
      path.join(workspace, 'Assets', 'Models.meta'),
      `fileFormatVersion: 2\nguid: ${taken}\n`
    )
    const inputs = { entries: ROBOT, path: DESTINATION }
    const run = await pullWith(emulator(), { inputs, workspace })
    expect(run.report.unity?.written).toContainEqual({
      path: `${DESTINATION}/Robot.glb.meta`,
      guid: guidFor(`${DESTINATION}/Robot.glb\u00001`)
    })
  })

  it('moves or deletes no .meta beside a record that prune found already gone, unless it is the action’s own', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    // A lockfile from a pull request records a file that is not there, of Robot's entry and format,
    // beside a .meta of its own making, and another beside one as the action writes it.
    const lockfilePath = path.join(workspace, DESTINATION, 'echo3d.lock.json')
    const lockfile = JSON.parse(await readFile(lockfilePath, 'utf8')) as { files: object[] }
    const robot = lockfile.files.find(file => (file as { entry: string }).entry === ROBOT)
    for (const ghost of ['Ghost.glb', 'Shade.glb'])
      lockfile.files.push({ ...robot, path: `${DESTINATION}/${ghost}` })
    await writeFile(lockfilePath, JSON.stringify(lockfile))
    const planted =
      'fileFormatVersion: 2\nguid: deadbeefdeadbeefdeadbeefdeadbeef\nuserData: planted\n'
    await writeFile(path.join(workspace, DESTINATION, 'Ghost.glb.meta'), planted)
    const shade = fileMetaText(guidFor(`${DESTINATION}/Shade.glb`))
    await writeFile(path.join(workspace, DESTINATION, 'Shade.glb.meta'), shade)

    const run = await pullWith(emulator(), { inputs: { ...PULL, prune: 'true' }, workspace })
    // Their records are forgotten; nothing was deleted.
    expect(run.report.pruned).toEqual([])
    expect(await readFile(lockfilePath, 'utf8')).not.toMatch(/Ghost|Shade/)
    expect(await readFile(path.join(workspace, DESTINATION, 'Ghost.glb.meta'), 'utf8')).toBe(
      planted
    )
    expect(run.report.unity?.removed).toEqual([`${DESTINATION}/Shade.glb.meta`])
    expect(run.report.unity?.written).toEqual([])
  })

  it('checks through no linked folder: the same report whether a file outside exists or not', async () => {
    const inputs = { entries: ROBOT, path: DESTINATION, 'file-name': '{entry}/{name}.{ext}' }
    const outside = path.join(await scratchFolder('unity-outside'), 'probe')
    await mkdir(outside)
    const reports: string[][] = []
    for (const present of [false, true]) {
      if (present) await writeFile(path.join(outside, 'Robot.glb'), 'not a model')
      const workspace = await unityProject()
      await pullWith(emulator(), { inputs, workspace })
      await rm(path.join(workspace, DESTINATION, ROBOT), { recursive: true })
      await symlink(outside, path.join(workspace, DESTINATION, ROBOT))
      const check = await checkWith(emulator(), { inputs, workspace })
      reports.push(check.report.stale.map(stale => `${stale.path}: ${stale.reason}`))
    }
    expect(reports[0]).toEqual([expect.stringMatching(/Robot\.glb: .*symbolic link/)])
    expect(reports[1]).toEqual(reports[0])
  })

  it('names in a dry run only the .meta files prune would take', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    const lockfilePath = path.join(workspace, DESTINATION, 'echo3d.lock.json')
    const lockfile = JSON.parse(await readFile(lockfilePath, 'utf8')) as { files: object[] }
    const robot = lockfile.files.find(file => (file as { entry: string }).entry === ROBOT)
    for (const ghost of ['Ghost.glb', 'Shade.glb', 'Folder.glb'])
      lockfile.files.push({ ...robot, path: `${DESTINATION}/${ghost}` })
    await writeFile(lockfilePath, JSON.stringify(lockfile))
    const planted = 'fileFormatVersion: 2\nguid: deadbeefdeadbeefdeadbeefdeadbeef\n'
    await writeFile(path.join(workspace, DESTINATION, 'Ghost.glb.meta'), planted)
    const shade = fileMetaText(guidFor(`${DESTINATION}/Shade.glb`))
    await writeFile(path.join(workspace, DESTINATION, 'Shade.glb.meta'), shade)
    await mkdir(path.join(workspace, DESTINATION, 'Folder.glb.meta'))

    const inputs = { entries: `${DESK_LAMP}: glb, usdz`, path: DESTINATION }
    const dryRun = await pruneWith(emulator(), { inputs, workspace, dryRun: true })
    expect(dryRun.report.candidateMetas?.sort()).toEqual([
      `${DESTINATION}/Robot.glb.meta`,
      `${DESTINATION}/Shade.glb.meta`
    ])
    const run = await pruneWith(emulator(), { inputs, workspace })
    expect(run.report.unity?.removed.sort()).toEqual(dryRun.report.candidateMetas)
  })

  it('writes no .meta for a recorded file that is not on disk', async () => {
    const workspace = await unityProject()
    await pullWith(emulator(), { inputs: PULL, workspace })
    await rm(path.join(workspace, DESTINATION, 'Robot.glb'))
    await rm(path.join(workspace, DESTINATION, 'Robot.glb.meta'))
    const run = await pruneWith(emulator(), {
      inputs: { entries: ROBOT, path: DESTINATION },
      workspace
    })
    expect(run.report.unity?.written).toEqual([])
    const metas = await metasOf(workspace)
    expect(metas[`${DESTINATION}/Robot.glb.meta`]).toBeUndefined()
  })
})
