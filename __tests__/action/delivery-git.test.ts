// `commit-method: git` in-process: commits built with git beside a clone of the GitHub double's
// repository, as actions/checkout leaves it, and pushed to it.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdir, truncate, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { GitHubDouble, RepositorySettings } from '../../doubles/github-api.ts'
import { sharedEmulator, sharedGitHub } from '../support.ts'
import { failureOf, outcomeOf, pullAndDeliver } from '../../harness/delivery.ts'
import { GitBackend } from '../../src/action/delivery/git-backend.ts'
import { setEnvironment } from '../../harness/in-process.ts'
import { scratchFolder } from '../../harness/runner.ts'

const run = promisify(execFile)
const emulator = sharedEmulator()
const startGitHub = sharedGitHub()

/** A fresh repository in the double, and a clone of it as actions/checkout leaves it. */
async function checkout(settings?: RepositorySettings): Promise<[GitHubDouble, string]> {
  const double = await startGitHub(settings)
  const workspace = path.join(await scratchFolder('echo3d-checkout'), 'repo')
  await run('git', ['clone', '--quiet', double.bareRepo, workspace])
  return [double, workspace]
}

async function gitIn(folder: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: folder })).stdout.trim()
}

const WITH_GIT = { commit: 'push', 'commit-method': 'git' }

describe('commit-method: git', () => {
  it('pushes nothing when the branch has every file already', async () => {
    const [double, workspace] = await checkout()
    const inputs = { ...WITH_GIT, entries: ROBOT }
    const first = await pullAndDeliver(emulator(), inputs, { github: double, workspace })
    const pushed = outcomeOf(first.delivery).commitSha
    expect(pushed).toBe(await double.git('rev-parse', 'main'))
    const second = await pullAndDeliver(emulator(), inputs, { github: double, workspace })
    expect(outcomeOf(second.delivery)).toEqual(
      expect.objectContaining({ changed: false, commitSha: undefined })
    )
    expect(await double.git('rev-parse', 'main')).toBe(pushed)
  })

  it("commits a Unity project's .meta files with their models, even those an earlier run wrote, and deletes them with them", async () => {
    const [double, workspace] = await checkout()
    await mkdir(path.join(workspace, 'ProjectSettings'))
    await writeFile(
      path.join(workspace, 'ProjectSettings', 'ProjectVersion.txt'),
      'm_EditorVersion: 6000.0.23f1\n'
    )
    const unity = { ...WITH_GIT, path: 'Assets/echo3D', prune: 'true' }
    const runner = { github: double, workspace }
    const both = `${DESK_LAMP}: glb\n${ROBOT}`
    // A first run that delivers nothing: the next delivers the .meta files it finds in place.
    await pullAndDeliver(emulator(), { ...unity, commit: 'none', entries: both }, runner)
    await pullAndDeliver(emulator(), { ...unity, entries: both }, runner)
    expect(await double.git('ls-tree', '-r', '--name-only', 'main', 'Assets')).toBe(
      [
        'Assets/echo3D.meta',
        'Assets/echo3D/Desk Lamp.glb',
        'Assets/echo3D/Desk Lamp.glb.meta',
        'Assets/echo3D/Robot.glb',
        'Assets/echo3D/Robot.glb.meta',
        'Assets/echo3D/echo3d.lock.json',
        'Assets/echo3D/echo3d.lock.json.meta'
      ].join('\n')
    )
    await pullAndDeliver(emulator(), { ...unity, entries: ROBOT }, runner)
    expect(await double.git('diff', '--name-status', 'main^', 'main')).toBe(
      'D\tAssets/echo3D/Desk Lamp.glb\nD\tAssets/echo3D/Desk Lamp.glb.meta\nM\tAssets/echo3D/echo3d.lock.json'
    )
  })

  it('commits the deletion of pruned files', async () => {
    const [double, workspace] = await checkout()
    await pullAndDeliver(
      emulator(),
      { ...WITH_GIT, entries: `${DESK_LAMP}: glb\n${ROBOT}` },
      { github: double, workspace }
    )
    await pullAndDeliver(
      emulator(),
      { ...WITH_GIT, entries: ROBOT, prune: 'true' },
      { github: double, workspace }
    )
    expect(await double.git('diff', '--name-status', 'main^', 'main')).toBe(
      'D\tassets/echo3d/Desk Lamp.glb\nM\tassets/echo3d/echo3d.lock.json'
    )
  })

  it('compares thousands of long paths with the branch, past what one command line holds', async () => {
    const [double, workspace] = await checkout()
    await double.commitFiles('main', { 'assets/last.glb': 'on the branch' }, 'A model')
    const backend = new GitBackend(workspace, {}, 60_000)
    const tip = (await backend.tip('main')) ?? ''
    const folder = `assets/${'long-folder-name-'.repeat(10)}`
    const deletion = (filePath: string) => ({
      path: filePath,
      absolutePath: path.join(workspace, filePath),
      entry: null,
      format: 'glb',
      bytes: 0,
      deleted: true
    })
    const absent = Array.from({ length: 12_000 }, (_, index) => deletion(`${folder}/${index}.glb`))
    const changed = await backend.changedFiles(tip, [...absent, deletion('assets/last.glb')])
    expect(changed.map(file => file.path)).toEqual(['assets/last.glb'])
  })

  it("asks git which files the checkout's .gitattributes give to Git LFS", async () => {
    const [, workspace] = await checkout()
    await writeFile(
      path.join(workspace, '.gitattributes'),
      '*.glb filter=lfs diff=lfs merge=lfs -text\n'
    )
    const paths = ['assets/echo3d/Robot.glb', 'assets/echo3d/Robot.usdz']
    expect(await new GitBackend(workspace, {}, 60_000).lfsTracked(paths)).toEqual(
      new Set([paths[0]])
    )
    const noCheckout = await scratchFolder('no-checkout')
    expect(await new GitBackend(noCheckout, {}, 60_000).lfsTracked(paths)).toEqual(new Set())
  })

  it('refuses a file over 100 MiB that git stored whole, where .gitattributes name Git LFS and it is not set up', async () => {
    const [, workspace] = await checkout()
    await writeFile(path.join(workspace, '.gitattributes'), '*.glb filter=lfs -text\n')
    const hangar = path.join(workspace, 'Hangar.glb')
    await writeFile(hangar, '')
    await truncate(hangar, 101 * 1024 * 1024)
    const noConfig = path.join(await scratchFolder('git-config'), 'config')
    await writeFile(noConfig, '')
    const restore = setEnvironment({ GIT_CONFIG_GLOBAL: noConfig, GIT_CONFIG_NOSYSTEM: '1' })
    try {
      const backend = new GitBackend(workspace, {}, 60_000)
      const tip = (await backend.tip('main')) ?? ''
      const file = { path: 'Hangar.glb', absolutePath: hangar, entry: 'hangar', format: 'glb' }
      await expect(
        backend.createCommit(tip, [{ ...file, bytes: 101 * 1024 * 1024 }], 'Add the hangar')
      ).rejects.toThrow(/^Cannot commit: git stored Hangar\.glb whole, over GitHub's 100 MiB/)
    } finally {
      restore()
    }
  })

  it('pushes the pull-request branch with git and opens the pull request through the API', async () => {
    const [double, workspace] = await checkout()
    const { delivery } = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'pull-request', 'commit-method': 'git' },
      { github: double, workspace }
    )
    expect(outcomeOf(delivery).pullRequest).toEqual(expect.objectContaining({ created: true }))
    expect(await double.git('ls-tree', '-r', '--name-only', 'echo3d/assets')).toContain(
      'assets/echo3d/Robot.glb'
    )
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )
    expect(double.pulls.map(pullRequest => pullRequest.head)).toEqual(['echo3d/assets'])
  })

  it('explains a remote it cannot reach', async () => {
    const [double, workspace] = await checkout()
    await gitIn(
      workspace,
      'remote',
      'set-url',
      'origin',
      path.join(workspace, 'no-such-remote.git')
    )
    const { delivery } = await pullAndDeliver(
      emulator(),
      { ...WITH_GIT, entries: ROBOT },
      { github: double, workspace }
    )
    expect(failureOf(delivery)).toMatch(/^Delivery failed: git fetch failed: .*no-such-remote/)
  })

  it('says that a protected branch refused the push, and what to use instead', async () => {
    const [double, workspace] = await checkout({ protectedBranches: ['main'] })
    const { delivery } = await pullAndDeliver(
      emulator(),
      { ...WITH_GIT, entries: ROBOT },
      { github: double, workspace }
    )
    expect(failureOf(delivery)).toBe(
      'Could not push to main: the branch is protected. Use `commit: pull-request` to propose the change instead'
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
  })
})
