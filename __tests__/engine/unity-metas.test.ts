// syncMetas on its own, for the cases a pull cannot set up in one process: what each shard of a
// matrix sees, and what a checkout on Windows holds.
import { describe, expect, it } from '@jest/globals'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { scratchFolder } from '../../harness/runner.ts'
import { fileMetaText, folderMetaText, guidFor } from '../../src/engine/unity/meta-text.ts'
import { syncMetas, type MetaRun } from '../../src/engine/unity/metas.ts'

const FOLDER = 'Assets/M'

async function project(): Promise<{ workspace: string; scope: Parameters<typeof syncMetas>[0] }> {
  const workspace = path.join(await scratchFolder('unity-metas'), 'project')
  await mkdir(path.join(workspace, FOLDER), { recursive: true })
  const assets = path.join(workspace, 'Assets')
  const destination = path.join(workspace, FOLDER)
  return { workspace, scope: { workspace, project: { root: workspace, assets }, destination } }
}

const record = (name: string, entry: string) => ({
  path: `${FOLDER}/${name}`,
  entry,
  format: 'glb'
})
const run = (parts: Partial<MetaRun>): MetaRun => ({
  files: [],
  pruned: [],
  deleted: [],
  previous: [],
  ...parts
})

describe('syncMetas', () => {
  it('gives a new file at a path another .meta moved away from the same GUID in one job as in a shard', async () => {
    const guids: (string | undefined)[] = []
    for (const sharded of [false, true]) {
      const { workspace, scope } = await project()
      const robot = record('Robot v1.glb', 'R')
      // An earlier run moved Robot.glb's .meta to Robot v1.glb, its GUID with it.
      await writeFile(path.join(workspace, robot.path), 'r')
      const moved = fileMetaText(guidFor(`${FOLDER}/Robot.glb`))
      await writeFile(path.join(workspace, `${robot.path}.meta`), moved)
      await writeFile(path.join(workspace, FOLDER, 'Robot.glb'), 'n')
      const newcomer = record('Robot.glb', 'N')
      // Robot v1 is pruned in this run: by this job, or by another shard meanwhile.
      if (!sharded) await rm(path.join(workspace, robot.path))
      const changes = await syncMetas(
        scope,
        sharded
          ? run({ files: [newcomer], previous: [robot] })
          : run({ files: [newcomer], pruned: [robot], deleted: [robot], previous: [robot] })
      )
      guids.push(changes.written.find(meta => meta.path === `${newcomer.path}.meta`)?.guid)
    }
    expect(guids[0]).toBe(guidFor(`${FOLDER}/Robot.glb\u00001`))
    expect(guids[1]).toBe(guids[0])
  })

  it('reads a .meta with Windows line endings as the action’s own', async () => {
    const { workspace, scope } = await project()
    const gone = record('X/a.glb', 'X')
    await mkdir(path.join(workspace, FOLDER, 'X'))
    const crlf = (text: string) => text.replace(/\n/g, '\r\n')
    await writeFile(
      path.join(workspace, `${gone.path}.meta`),
      crlf(fileMetaText(guidFor(gone.path)))
    )
    await writeFile(
      path.join(workspace, FOLDER, 'X.meta'),
      crlf(folderMetaText(guidFor(`${FOLDER}/X`)))
    )
    const changes = await syncMetas(scope, run({ pruned: [gone], previous: [gone] }))
    expect(changes.removed).toEqual([`${gone.path}.meta`, `${FOLDER}/X.meta`])
    expect(await readdir(path.join(workspace, FOLDER))).toEqual([])
  })
})
