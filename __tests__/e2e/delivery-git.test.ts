// `commit-method: git` as the runner sees it: the bundle pushes from the checkout that
// actions/checkout left, and leaves the checkout as it found it. The variations are tested
// in-process (__tests__/action/delivery-git.test.ts); Git LFS in __tests__/slow/git-lfs.test.ts.
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { githubRunner, log, pull, sharedEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const run = promisify(execFile)
const emulator = sharedEmulator()
let github: GitHubDouble | undefined
afterEach(() => github?.close())

async function gitIn(folder: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: folder })).stdout.trim()
}

describe('commit-method: git', () => {
  it('pushes a commit built beside the checkout, under the bot identity, leaving its HEAD and index alone', async () => {
    const double = (github = await startGitHubDouble())
    const workspace = path.join(await scratchFolder('echo3d-checkout'), 'repo')
    await run('git', ['clone', '--quiet', double.bareRepo, workspace])
    const headBefore = await gitIn(workspace, 'rev-parse', 'HEAD')

    const result = await pull(
      emulator(),
      { entries: `${DESK_LAMP}: glb\n${ROBOT}`, commit: 'push', 'commit-method': 'git' },
      githubRunner(double, { workspace })
    )
    expect(log(result)).not.toMatch(/::error::/)
    expect(result.code).toBe(0)
    expect(result.outputs.changed).toBe('true')
    expect(result.outputs['commit-sha']).toBe(await double.git('rev-parse', 'main'))
    expect(await double.git('log', '-1', '--format=%an <%ae>%n%s', 'main')).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\nUpdate echo3D assets'
    )
    expect(await double.git('ls-tree', '-r', '--name-only', 'main')).toBe(
      'README.md\nassets/echo3d/Desk Lamp.glb\nassets/echo3d/Robot.glb\nassets/echo3d/echo3d.lock.json'
    )
    expect(await gitIn(workspace, 'rev-parse', 'HEAD')).toBe(headBefore)
    expect(await gitIn(workspace, 'diff', '--cached', '--name-only')).toBe('')
    expect(result.summary).toMatch(/Committed [0-9a-f]{7} to main/)
  })
})
