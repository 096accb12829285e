import { afterEach, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { filesOutput, githubRunner, log, pull, scratchFolder, sharedEmulator } from '../support.ts'

const run = promisify(execFile)

/** Git LFS is installed by .ci/run; elsewhere the LFS test says it was skipped. */
const hasGitLfs = spawnSync('git', ['lfs', 'version']).status === 0
const lfsIt = hasGitLfs || process.env.CI ? it : it.skip
const emulator = sharedEmulator()
let github: GitHubDouble | undefined
afterEach(() => github?.close())

/** A checkout of the double's repository, as actions/checkout leaves it on a branch run. */
async function checkout(double: GitHubDouble): Promise<string> {
  const workspace = path.join(await scratchFolder('echo3d-checkout'), 'repo')
  await run('git', ['clone', '--quiet', double.bareRepo, workspace])
  return workspace
}

async function gitIn(folder: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: folder })).stdout.trim()
}

describe('commit-method: git', () => {
  it('pushes a commit built beside the checkout, leaving its HEAD and index alone, and is a no-op when unchanged', async () => {
    github = await startGitHubDouble()
    const workspace = await checkout(github)
    const headBefore = await gitIn(workspace, 'rev-parse', 'HEAD')
    const inputs = {
      entries: `${DESK_LAMP}: glb\n${ROBOT}`,
      commit: 'push',
      'commit-method': 'git'
    }

    const first = await pull(emulator(), inputs, githubRunner(github, { workspace: workspace }))
    expect(log(first)).not.toMatch(/::error::/)
    expect(first.code).toBe(0)
    expect(first.outputs.changed).toBe('true')
    expect(first.outputs['commit-sha']).toBe(await github.git('rev-parse', 'main'))
    expect(await github.git('log', '-1', '--format=%an <%ae>%n%s', 'main')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\nUpdate echo3D assets'
    )
    expect(await github.git('ls-tree', '-r', '--name-only', 'main')).toBe(
      'README.md\nassets/echo3d/Desk Lamp.glb\nassets/echo3d/Robot.glb\nassets/echo3d/echo3d.lock.json'
    )
    expect(await gitIn(workspace, 'rev-parse', 'HEAD')).toBe(headBefore)
    expect(await gitIn(workspace, 'diff', '--cached', '--name-only')).toBe('')

    const second = await pull(emulator(), inputs, githubRunner(github, { workspace: workspace }))
    expect(second.code).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(await github.git('rev-parse', 'main')).toBe(first.outputs['commit-sha'])
  })

  it('pushes the pull-request branch with git and opens the pull request through the API', async () => {
    github = await startGitHubDouble()
    const workspace = await checkout(github)
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'pull-request', 'commit-method': 'git' },
      githubRunner(github, { workspace: workspace })
    )
    expect(result.code).toBe(0)
    expect(await github.git('ls-tree', '-r', '--name-only', 'echo3d/assets')).toContain(
      'assets/echo3d/Robot.glb'
    )
    expect(github.pulls.map(pullRequest => pullRequest.head)).toEqual(['echo3d/assets'])
  })

  it('explains a remote it cannot reach', async () => {
    github = await startGitHubDouble()
    const workspace = await checkout(github)
    await gitIn(
      workspace,
      'remote',
      'set-url',
      'origin',
      path.join(workspace, 'no-such-remote.git')
    )
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'push', 'commit-method': 'git' },
      githubRunner(github, { workspace: workspace })
    )
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/git fetch failed: .*no-such-remote/)
  })

  lfsIt('stores models through Git LFS in a repository that tracks them with it', async () => {
    github = await startGitHubDouble()
    await github.commitFiles(
      'main',
      { '.gitattributes': '*.glb filter=lfs diff=lfs merge=lfs -text\n' },
      'Track models with LFS'
    )
    const workspace = await checkout(github)
    await gitIn(workspace, 'lfs', 'install', '--local')
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'push', 'commit-method': 'git' },
      githubRunner(github, { workspace: workspace })
    )
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    const pointer = await github.git('cat-file', '-p', `main:${file.path}`)
    expect(pointer).toBe(
      `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.bytes}`
    )
    const stored = path.join(
      github.bareRepo,
      'lfs',
      'objects',
      file.sha256.slice(0, 2),
      file.sha256.slice(2, 4),
      file.sha256
    )
    expect((await stat(stored)).size).toBe(file.bytes)

    const again = await pull(
      emulator(),
      { entries: ROBOT, commit: 'push', 'commit-method': 'git' },
      githubRunner(github, { workspace: workspace })
    )
    expect(again.outputs.changed).toBe('false')
  })
})
