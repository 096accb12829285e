// A Unity project as the runner and a developer's terminal see it: the bundled action writes the
// `.meta` files, commits them with the models and says what the project needs in the pull
// request; the bundled CLI, in a fresh clone, writes the same `.meta` files byte for byte, and its
// check fails when one is missing.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startGitHubDouble } from '../../doubles/github-api.ts'
import { emulatorVariables, runCli, scratchFolder } from '../../harness/runner.ts'
import { githubRunner, listFiles, log, pull, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()
const DESTINATION = 'Assets/Models/echo3D'
const ENTRIES = `${DESK_LAMP}: glb, usdz\n${ROBOT}`

async function unityProject(name: string): Promise<string> {
  const root = path.join(await scratchFolder(name), 'game')
  await mkdir(path.join(root, 'ProjectSettings'), { recursive: true })
  await mkdir(path.join(root, 'Packages'), { recursive: true })
  await writeFile(
    path.join(root, 'ProjectSettings', 'ProjectVersion.txt'),
    'm_EditorVersion: 6000.0.23f1\n'
  )
  await writeFile(path.join(root, 'Packages', 'manifest.json'), '{ "dependencies": {} }\n')
  return root
}

async function metasOf(root: string): Promise<Record<string, string>> {
  const metas: Record<string, string> = {}
  for (const file of await listFiles(root))
    if (file.endsWith('.meta')) metas[file] = await readFile(path.join(root, file), 'utf8')
  return metas
}

describe('a Unity project', () => {
  it('gets its .meta files from the action and the CLI alike, committed with the models, with what it needs in the description', async () => {
    const double = await startGitHubDouble()
    try {
      const workspace = await unityProject('unity-action')
      const inputs = { entries: ENTRIES, path: DESTINATION, commit: 'pull-request' }
      const result = await pull(emulator(), inputs, githubRunner(double, { workspace }))
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.code).toBe(0)
      expect(log(result)).toMatch(/::warning::Unity needs a glTF importer for 2 GLB or glTF files/)

      const metas = await metasOf(workspace)
      expect(Object.keys(metas)).toHaveLength(6)
      const committed = await double.git('ls-tree', '-r', '--name-only', 'echo3d/assets')
      for (const meta of Object.keys(metas)) {
        expect(committed.split('\n')).toContain(meta)
        expect(await double.git('show', `echo3d/assets:${meta}`)).toBe(metas[meta].trimEnd())
      }
      const [pullRequest] = double.pulls
      expect(pullRequest.body).toContain('### Unity')
      expect(pullRequest.body).toContain('6 `.meta` files added or updated and 0 removed')
      expect(pullRequest.body).toContain('- ⚠️ Unity needs a glTF importer for 2 GLB or glTF files')
      expect(pullRequest.body).not.toMatch(/\| `[^`]+\.meta` \|/)
      expect(result.summary).toContain('6 .meta files written, 0 kept as they were, 0 removed.')

      const clone = await unityProject('unity-cli')
      execFileSync('git', ['init', '-q', clone])
      const cli = await runCli(
        ['pull', '--entries', ...ENTRIES.split('\n'), '--path', DESTINATION],
        {
          cwd: clone,
          env: emulatorVariables(emulator())
        }
      )
      expect(cli.code).toBe(0)
      expect(cli.stdout).toContain('Unity project: 6 .meta files written, 0 kept, 0 removed')
      expect(await metasOf(clone)).toEqual(metas)

      await rm(path.join(clone, DESTINATION, 'Robot.glb.meta'))
      const check = await runCli(
        ['check', '--entries', ...ENTRIES.split('\n'), '--path', DESTINATION],
        {
          cwd: clone,
          env: emulatorVariables(emulator())
        }
      )
      expect(check.code).toBe(3)
      expect(check.stdout + check.stderr).toContain(`${DESTINATION}/Robot.glb.meta: missing`)

      const dryRun = await runCli(
        ['prune', '--dry-run', '--entries', ROBOT, '--path', DESTINATION],
        {
          cwd: clone,
          env: emulatorVariables(emulator())
        }
      )
      expect(dryRun.code).toBe(0)
      expect(dryRun.stdout).toMatch(/Desk Lamp\.glb \([^)]+\), and its \.meta\n/)
      expect(dryRun.stdout).toContain('Folders they leave empty go too')
    } finally {
      await double.close()
    }
  })
})
