// Delivery through the GitHub API as the runner sees it: the bundle commits and opens its pull
// request, and says so in its outputs and job summary. The variations (branches, errors, reviewers,
// limits…) are tested in-process in __tests__/action/.
import { afterEach, describe, expect, it } from '@jest/globals'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startGitHubDouble, type GitHubDouble } from '../../doubles/github-api.ts'
import { filesOutput, githubRunner, log, pull, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()
let github: GitHubDouble | undefined
afterEach(() => github?.close())

const writes = (double: GitHubDouble) => double.requests.filter(request => request.method !== 'GET')

describe('commit: push', () => {
  it('commits the pulled files, with the outputs and summary that say so, and nothing when a re-run changes nothing', async () => {
    const double = (github = await startGitHubDouble())
    const before = await double.git('rev-parse', 'main')
    const inputs = { entries: `${DESK_LAMP}: glb, usdz\n${ROBOT}`, commit: 'push' }
    const first = await pull(emulator(), inputs, githubRunner(double))
    expect(log(first)).not.toMatch(/::error::/)
    expect(first.code).toBe(0)
    expect(first.outputs.changed).toBe('true')
    const head = await double.git('rev-parse', 'main')
    expect(first.outputs['commit-sha']).toBe(head)
    expect(await double.git('rev-parse', 'main^')).toBe(before)
    expect((await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')).toEqual([
      'README.md',
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.glb',
      'assets/echo3d/echo3d.lock.json'
    ])
    for (const file of filesOutput(first)) {
      const size = await double.git('cat-file', '-s', `main:${file.path}`)
      expect(Number(size)).toBe(file.bytes)
    }
    expect(first.summary).toContain('<h3>Delivery</h3>')
    expect(first.summary).toContain(`Committed ${head.slice(0, 7)} to main`)

    double.requests.splice(0)
    const second = await pull(emulator(), inputs, {
      ...githubRunner(double),
      workspace: first.workspace
    })
    expect(second.code).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(second.outputs['commit-sha']).toBeUndefined()
    expect(writes(double)).toEqual([])
    expect(await double.git('rev-parse', 'main')).toBe(head)
    expect(second.summary).toContain('No file differs from main: nothing committed.')
  })
})

describe('commit: pull-request', () => {
  it('opens a pull request, updates it when the base moves, and closes it once the base has every file', async () => {
    const double = (github = await startGitHubDouble())
    const inputs = { entries: ROBOT, commit: 'pull-request', 'pull-request-labels': 'assets' }
    const url = `https://github.com/${double.owner}/${double.repo}/pull/1`

    const opened = await pull(emulator(), inputs, githubRunner(double))
    expect(log(opened)).not.toMatch(/::error::/)
    expect(opened.code).toBe(0)
    expect(opened.outputs).toEqual(
      expect.objectContaining({
        changed: 'true',
        'pull-request-number': '1',
        'pull-request-operation': 'created',
        'pull-request-url': url,
        'commit-sha': await double.git('rev-parse', 'echo3d/assets')
      })
    )
    expect(double.pulls).toEqual([
      expect.objectContaining({ head: 'echo3d/assets', base: 'main', labels: ['assets'] })
    ])
    expect(opened.summary).toMatch(/Opened pull request #1 into main/)

    await double.commitFiles('main', { 'src/app.ts': 'export {}' }, 'Work on main')
    const updated = await pull(emulator(), inputs, githubRunner(double))
    expect(updated.code).toBe(0)
    expect(updated.outputs).toEqual(
      expect.objectContaining({
        'pull-request-number': '1',
        'pull-request-operation': 'updated',
        'pull-request-url': url
      })
    )
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )
    expect(updated.summary).toMatch(/Updated pull request #1 into main/)

    await double.git(
      'update-ref',
      'refs/heads/main',
      await double.git('rev-parse', 'echo3d/assets')
    )
    const closed = await pull(emulator(), inputs, githubRunner(double))
    expect(closed.code).toBe(0)
    expect(closed.outputs.changed).toBe('false')
    expect(closed.outputs['pull-request-operation']).toBe('closed')
    expect(closed.outputs['pull-request-number']).toBeUndefined()
    expect(double.pulls.map(pullRequest => pullRequest.state)).toEqual(['closed'])
    expect(closed.summary).toContain('Closed pull request #1: main already has every file.')
  })
})

describe("GitHub's secondary rate limit", () => {
  it('holds a commit back as long as Retry-After says, and the commit lands; a permission is never blamed', async () => {
    // After two content-creating requests, a second of refusals: the third waits it out.
    const double = (github = await startGitHubDouble({
      secondaryLimit: { after: 2, retryAfterSeconds: 1 }
    }))
    const inputs = { entries: `${DESK_LAMP}: glb\n${ROBOT}`, commit: 'push' }
    const result = await pull(emulator(), inputs, githubRunner(double))
    expect(log(result)).not.toMatch(/::error::|permissions/)
    expect(result.code).toBe(0)
    expect(result.outputs['commit-sha']).toBe(await double.git('rev-parse', 'main'))
    expect((await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')).toEqual([
      'README.md',
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Robot.glb',
      'assets/echo3d/echo3d.lock.json'
    ])
    const refused = double.requests.filter(request => request.status === 403)
    expect(refused.length).toBeGreaterThan(0)
    expect(log(result)).toMatch(
      /GitHub's secondary rate limit holds back POST \/repos\/\{owner\}\/\{repo\}\/git\/\w+: waiting 1\.0s, as GitHub asks/
    )
    // Three blobs, a tree and a commit, each accepted once.
    expect(writes(double).filter(request => request.status === 201)).toHaveLength(5)
  })
})
