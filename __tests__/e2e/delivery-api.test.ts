import { afterEach, describe, expect, it } from '@jest/globals'
import { startEmulator } from '../../emulator/server.ts'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import {
  startGitHubDouble,
  type GitHubDouble,
  type GitHubDoubleOptions
} from '../../doubles/github-api.ts'
import { filesOutput, githubRunner, log, pull, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()
let github: GitHubDouble | undefined
afterEach(() => github?.close())

async function startGitHub(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  github = await startGitHubDouble(options)
  return github
}

const writes = (double: GitHubDouble) => double.requests.filter(request => request.method !== 'GET')
const ENTRIES = `${DESK_LAMP}: glb, usdz\n${ROBOT}`

describe('commit: push through the API', () => {
  it('commits the pulled files to the branch, then does nothing on an unchanged re-run', async () => {
    const double = await startGitHub()
    const before = await double.git('rev-parse', 'main')
    const first = await pull(emulator(), { entries: ENTRIES, commit: 'push' }, githubRunner(double))
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
    const message = await double.git('log', '-1', '--format=%B', 'main')
    expect(message).toMatch(
      /^Update echo3D assets\n\n- assets\/echo3d\/Desk Lamp.glb \(glb, \d+ B, entry 5d1e7c1a/
    )
    for (const file of filesOutput(first)) {
      const blob = await double.git('rev-parse', `main:${file.path}`)
      const content = await double.git('cat-file', '-s', blob)
      expect(Number(content)).toBe(file.bytes)
    }
    expect(first.summary).toContain('<h3>Delivery</h3>')
    expect(first.summary).toMatch(/Committed [0-9a-f]{7} to main/)

    double.requests.splice(0)
    const second = await pull(
      emulator(),
      { entries: ENTRIES, commit: 'push' },
      githubRunner(double)
    )
    expect(second.code).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(second.outputs['commit-sha']).toBeUndefined()
    expect(writes(double)).toEqual([])
    expect(await double.git('rev-parse', 'main')).toBe(head)
    expect(second.summary).toContain('No file differs from main: nothing committed.')
  })

  it('commits only the file that changed', async () => {
    const double = await startGitHub()
    await pull(emulator(), { entries: ENTRIES, commit: 'push' }, githubRunner(double))
    await double.commitFiles(
      'main',
      { 'assets/echo3d/Robot.glb': 'an older robot' },
      'Someone edits a model'
    )

    double.requests.splice(0)
    const result = await pull(
      emulator(),
      { entries: ENTRIES, commit: 'push' },
      githubRunner(double)
    )
    expect(result.code).toBe(0)
    expect(await double.git('diff', '--name-only', 'main^', 'main')).toBe('assets/echo3d/Robot.glb')
    expect(writes(double).filter(request => request.path.endsWith('/git/blobs'))).toHaveLength(1)
  })

  it('commits the deletion of pruned files, with the lockfile', async () => {
    const double = await startGitHub()
    const first = await pull(emulator(), { entries: ENTRIES, commit: 'push' }, githubRunner(double))
    const second = await pull(
      emulator(),
      { entries: ROBOT, commit: 'push', prune: 'true' },
      { ...githubRunner(double), workspace: first.workspace }
    )
    expect(second.code).toBe(0)
    expect(await double.git('diff', '--name-status', 'main^', 'main')).toBe(
      'D\tassets/echo3d/Desk Lamp.glb\nD\tassets/echo3d/Desk Lamp.usdz\nM\tassets/echo3d/echo3d.lock.json'
    )
    expect(await double.git('log', '-1', '--format=%B', 'main')).toContain(
      '- removed assets/echo3d/Desk Lamp.glb'
    )
  })

  it('commits to the branch and with the first line the inputs name', async () => {
    const double = await startGitHub()
    await double.git('update-ref', 'refs/heads/assets', await double.git('rev-parse', 'main'))
    const result = await pull(
      emulator(),
      {
        entries: ROBOT,
        commit: 'push',
        branch: 'assets',
        'commit-message': 'chore: refresh models\nignored second line'
      },
      githubRunner(double)
    )
    expect(result.code).toBe(0)
    expect(await double.git('log', '-1', '--format=%s', 'assets')).toBe('chore: refresh models')
    expect(await double.git('rev-parse', 'main^{tree}')).not.toBe(
      await double.git('rev-parse', 'assets^{tree}')
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
  })

  it('commits to the default branch on a tag run', async () => {
    const double = await startGitHub({ defaultBranch: 'trunk' })
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'push' },
      githubRunner(double, { ref: 'refs/tags/v1.2.0' })
    )
    expect(result.code).toBe(0)
    expect(await double.git('ls-tree', '--name-only', '-r', 'trunk')).toContain(
      'assets/echo3d/Robot.glb'
    )
  })

  it('rebuilds the commit on the new tip when the branch moves meanwhile', async () => {
    const double = await startGitHub()
    double.beforeNextRefUpdate = async () => {
      await double.commitFiles('main', { 'docs/notes.md': 'pushed meanwhile' }, 'A concurrent push')
    }
    const result = await pull(emulator(), { entries: ROBOT, commit: 'push' }, githubRunner(double))
    expect(result.code).toBe(0)
    expect(log(result)).toMatch(
      /Branch main moved while committing; rebuilding the commit on its new tip \(try 2 of 8\)/
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe(
      'Update echo3D assets\nA concurrent push\nInitial commit'
    )
    expect(await double.git('ls-tree', '--name-only', '-r', 'main')).toMatch(
      /docs\/notes.md[\s\S]*Robot.glb|Robot.glb[\s\S]*docs\/notes.md/
    )
    expect(double.requests.filter(request => request.status === 422)).toHaveLength(1)
  })
})

describe('commit: pull-request through the API', () => {
  it('opens a labelled pull request, then updates it, rebuilt on the moved base', async () => {
    const double = await startGitHub()
    const inputs = {
      entries: ENTRIES,
      commit: 'pull-request',
      'pull-request-labels': 'assets, automated'
    }
    const first = await pull(emulator(), inputs, githubRunner(double))
    expect(first.code).toBe(0)
    expect(first.outputs['pull-request-number']).toBe('1')
    expect(first.outputs['pull-request-operation']).toBe('created')
    expect(first.outputs['pull-request-url']).toBe(
      `https://github.com/${double.owner}/${double.repo}/pull/1`
    )
    expect(double.pulls).toHaveLength(1)
    const [pullRequest] = double.pulls
    expect(pullRequest).toEqual(
      expect.objectContaining({
        title: 'Update echo3D assets',
        head: 'echo3d/assets',
        base: 'main',
        labels: ['assets', 'automated']
      })
    )
    expect(pullRequest.body).toMatch(
      /\| `assets\/echo3d\/Robot.glb` \| `0c71e96a-3da2-47f7-8c71-566eff40b81e` \| `glb` \| \d+ B \|/
    )
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )

    await double.commitFiles('main', { 'src/app.ts': 'export {}' }, 'Work on main')
    const second = await pull(emulator(), inputs, githubRunner(double))
    expect(second.code).toBe(0)
    expect(second.outputs['pull-request-number']).toBe('1')
    expect(second.outputs['pull-request-operation']).toBe('updated')
    expect(double.pulls).toHaveLength(1)
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )
    expect(second.summary).toMatch(/Updated pull request #1 into main/)
  })

  it('uses the title, head branch and base branch the inputs name', async () => {
    const double = await startGitHub()
    await double.git('update-ref', 'refs/heads/develop', await double.git('rev-parse', 'main'))
    const result = await pull(
      emulator(),
      {
        entries: ROBOT,
        commit: 'pull-request',
        branch: 'develop',
        'pull-request-branch': 'bot/models',
        'pull-request-title': 'Nightly model refresh'
      },
      githubRunner(double)
    )
    expect(result.code).toBe(0)
    expect(double.pulls).toEqual([
      expect.objectContaining({
        title: 'Nightly model refresh',
        head: 'bot/models',
        base: 'develop'
      })
    ])
    expect(await double.git('rev-parse', 'bot/models^')).toBe(
      await double.git('rev-parse', 'develop')
    )
  })

  it('leaves the pull-request branch alone when nothing changed since the last run', async () => {
    const double = await startGitHub()
    const inputs = { entries: ROBOT, commit: 'pull-request' }
    await pull(emulator(), inputs, githubRunner(double))
    const head = await double.git('rev-parse', 'echo3d/assets')
    double.requests.splice(0)
    const second = await pull(emulator(), inputs, githubRunner(double))
    expect(second.outputs['pull-request-operation']).toBe('updated')
    expect(await double.git('rev-parse', 'echo3d/assets')).toBe(head)
    expect(writes(double).filter(request => request.path.includes('/git/'))).toEqual([])
  })

  it('closes its pull request, with a comment, when the base already has every file', async () => {
    const double = await startGitHub()
    const inputs = { entries: ROBOT, commit: 'pull-request' }
    await pull(emulator(), inputs, githubRunner(double))
    await double.git(
      'update-ref',
      'refs/heads/main',
      await double.git('rev-parse', 'echo3d/assets')
    )
    const second = await pull(emulator(), inputs, githubRunner(double))
    expect(second.code).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(second.outputs['pull-request-operation']).toBe('closed')
    expect(double.pulls[0].state).toBe('closed')
    expect(double.pulls[0].comments).toEqual([
      expect.stringMatching(/main already has every selected file/)
    ])
    expect(second.summary).toContain('Closed pull request #1: main already has every file.')
  })

  it('opens a draft with reviewers, team reviewers, assignees and a milestone', async () => {
    const double = await startGitHub()
    const inputs = {
      entries: ROBOT,
      commit: 'pull-request',
      'pull-request-draft': 'true',
      'pull-request-reviewers': 'alice, bob',
      'pull-request-team-reviewers': 'artists',
      'pull-request-assignees': 'carol',
      'pull-request-milestone': '7'
    }
    const result = await pull(emulator(), inputs, githubRunner(double))
    expect(result.code).toBe(0)
    expect(double.pulls[0]).toEqual(
      expect.objectContaining({
        draft: true,
        reviewers: ['alice', 'bob'],
        teamReviewers: ['artists'],
        assignees: ['carol'],
        milestone: 7
      })
    )
  })

  it('says there is nothing to do, and does nothing, when the base already has every file', async () => {
    const double = await startGitHub()
    const inputs = { entries: ROBOT, commit: 'pull-request' }
    const first = await pull(emulator(), { entries: ROBOT, commit: 'push' }, githubRunner(double))
    expect(first.code).toBe(0)
    const second = await pull(emulator(), inputs, githubRunner(double))
    expect(second.outputs['pull-request-operation']).toBe('none')
    expect(double.pulls).toEqual([])
  })

  it('says which setting to change when Actions may not create pull requests', async () => {
    const double = await startGitHub({ actionsCanCreatePullRequests: false })
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'pull-request' },
      githubRunner(double)
    )
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/Allow GitHub Actions to create and approve pull requests/)
  })
})

describe('delivery errors', () => {
  it('names the permission a read-only token lacks', async () => {
    const double = await startGitHub({ contents: 'read' })
    const result = await pull(emulator(), { entries: ROBOT, commit: 'push' }, githubRunner(double))
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /the token may not do it \(HTTP 403: Resource not accessible by integration.*permissions: \{ contents: write \}/
    )
    expect(filesOutput(result)).toHaveLength(1)
  })

  it('names pull-requests: write when the token may commit but not open pull requests', async () => {
    const double = await startGitHub({ pullRequests: 'read' })
    const result = await pull(
      emulator(),
      { entries: ROBOT, commit: 'pull-request' },
      githubRunner(double)
    )
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /Could not open or update the pull request: .*permissions: \{ contents: write, pull-requests: write \}/
    )
  })

  it('suggests a pull request for a protected branch', async () => {
    const double = await startGitHub({ protectedBranches: ['main'] })
    const result = await pull(emulator(), { entries: ROBOT, commit: 'push' }, githubRunner(double))
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/the branch is protected .*Use `commit: pull-request`/)
  })

  it('refuses a file too large for the blob API before uploading anything', async () => {
    const double = await startGitHub()
    const large = await startEmulator({
      entries: [{ id: 'hangar', filename: 'Hangar.glb', derived: [], minBytes: 41 * 1024 * 1024 }]
    })
    try {
      const result = await pull(large, { entries: 'hangar', commit: 'push' }, githubRunner(double))
      expect(result.code).toBe(1)
      expect(log(result)).toMatch(
        /Hangar.glb \(41.0 MiB\) is too large for GitHub's blob API.*`commit-method: git`.*`upload-artifact: true`/
      )
      expect(double.requests).toEqual([])
    } finally {
      await large.close()
    }
  })

  it('commits nothing when an asset failed', async () => {
    const double = await startGitHub()
    const result = await pull(
      emulator(),
      { entries: `${ROBOT}\nmissing-entry`, commit: 'push' },
      githubRunner(double)
    )
    expect(result.code).toBe(1)
    expect(result.summary).toContain(
      'Skipped: 1 asset failed, so nothing was committed or uploaded.'
    )
    expect(double.requests).toEqual([])
  })
})

describe('a GitHub that does not answer', () => {
  it('holds the step no longer than timeout, and the message says so', async () => {
    const double = await startGitHub()
    double.unresponsive = true
    const started = Date.now()
    const inputs = { entries: ROBOT, commit: 'push', timeout: '3s' }
    const result = await pull(emulator(), inputs, githubRunner(double))
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/GitHub did not answer within the `timeout`/)
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
