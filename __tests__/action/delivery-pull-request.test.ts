// `commit: pull-request` in-process: the action's own branch, rebuilt on the base, and its one pull
// request, opened, updated, dressed and closed in the GitHub double.
import { describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Previews } from '../../src/model.ts'
import { scratchFolder } from '../../harness/runner.ts'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { GitHubDouble, RepositorySettings } from '../../doubles/github-api.ts'
import { ECHO_ENCODINGS, sharedEmulator, sharedGitHub } from '../support.ts'
import {
  actionInputs,
  deliver,
  failureOf,
  madeUpPull,
  outcomeOf,
  pullAndDeliver
} from '../../harness/delivery.ts'

const emulator = sharedEmulator()
const startGitHub = sharedGitHub()

const ENTRIES = `${DESK_LAMP}: glb, usdz\n${ROBOT}`
const PULL_REQUEST = { entries: ROBOT, commit: 'pull-request' }

const gitWrites = (double: GitHubDouble) =>
  double.requests.filter(request => request.method !== 'GET' && request.path.includes('/git/'))

describe('the pull request', () => {
  it('carries no credential that a server echoed during the run, in any spelling', async () => {
    const double = await startGitHub()
    const credentials = Object.values(emulator().credentials).filter(value => value !== undefined)
    const echoes = Object.values(ECHO_ENCODINGS).flatMap(encode => credentials.map(encode))
    emulator().fault({ route: 'file', kind: 'status', status: 503, text: echoes.join(' ') })
    const inputs = { ...PULL_REQUEST, 'pull-request-branch': 'echo3d/echoes' }
    const { delivery, run } = await pullAndDeliver(emulator(), inputs, { github: double })
    expect(run.log()).toMatch(/HTTP 503: \*\*\* \*\*\*/)
    expect(outcomeOf(delivery)).toEqual(expect.objectContaining({ changed: true }))
    const body = double.pulls.at(-1)?.body ?? ''
    expect(body).toMatch(/Robot\.glb/)
    expect(echoes.filter(echo => body.toLowerCase().includes(echo.toLowerCase()))).toEqual([])
  })

  it('is opened with its labels, listing the files, from a branch made on the base tip', async () => {
    const double = await startGitHub()
    const inputs = {
      entries: ENTRIES,
      commit: 'pull-request',
      'pull-request-labels': 'assets, automated'
    }
    const { delivery, log } = await pullAndDeliver(emulator(), inputs, { github: double })
    const url = `https://github.com/${double.owner}/${double.repo}/pull/1`
    expect(outcomeOf(delivery)).toEqual(
      expect.objectContaining({
        changed: true,
        branch: 'main',
        pullRequest: { number: 1, url, created: true }
      })
    )
    expect(double.pulls).toEqual([
      expect.objectContaining({
        title: 'Update echo3D assets',
        head: 'echo3d/assets',
        base: 'main',
        state: 'open',
        draft: false,
        labels: ['assets', 'automated'],
        reviewers: [],
        assignees: []
      })
    ])
    expect(double.pulls[0].body).toMatch(/^This pull request updates 4 files pulled from echo3D\./)
    expect(double.pulls[0].body).toMatch(
      /\| `assets\/echo3d\/Robot.glb` \| `0c71e96a-3da2-47f7-8c71-566eff40b81e` \| `glb` \| \d+ B \|/
    )
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
    expect(log.lines).toContain(`Opened pull request #1: ${url}`)
  })

  it('is updated, its branch rebuilt on the moved base, and never opened twice', async () => {
    const double = await startGitHub()
    const inputs = { ...PULL_REQUEST, 'pull-request-labels': 'assets' }
    const first = await pullAndDeliver(emulator(), inputs, { github: double })
    await double.commitFiles('main', { 'src/app.ts': 'export {}' }, 'Work on main')
    const second = await pullAndDeliver(emulator(), inputs, {
      github: double,
      workspace: first.run.workspace
    })
    expect(outcomeOf(second.delivery).pullRequest).toEqual(
      expect.objectContaining({ number: 1, created: false })
    )
    expect(double.pulls).toHaveLength(1)
    expect(double.pulls[0].labels).toEqual(['assets'])
    expect(await double.git('rev-parse', 'echo3d/assets^')).toBe(
      await double.git('rev-parse', 'main')
    )
    expect(await double.git('ls-tree', '-r', '--name-only', 'echo3d/assets')).toContain(
      'src/app.ts'
    )
  })

  it('is left alone, branch and all, when nothing changed since the last run', async () => {
    const double = await startGitHub()
    const first = await pullAndDeliver(emulator(), PULL_REQUEST, { github: double })
    const head = await double.git('rev-parse', 'echo3d/assets')
    double.requests.splice(0)
    const second = await pullAndDeliver(emulator(), PULL_REQUEST, {
      github: double,
      workspace: first.run.workspace
    })
    expect(outcomeOf(second.delivery)).toEqual(
      expect.objectContaining({
        commitSha: head,
        pullRequest: expect.objectContaining({ created: false })
      })
    )
    expect(await double.git('rev-parse', 'echo3d/assets')).toBe(head)
    expect(gitWrites(double)).toEqual([])
  })

  it('is closed, with a comment that says why, when the base has every file', async () => {
    const double = await startGitHub()
    const first = await pullAndDeliver(emulator(), PULL_REQUEST, { github: double })
    await double.git(
      'update-ref',
      'refs/heads/main',
      await double.git('rev-parse', 'echo3d/assets')
    )
    const second = await pullAndDeliver(emulator(), PULL_REQUEST, {
      github: double,
      workspace: first.run.workspace
    })
    expect(outcomeOf(second.delivery)).toEqual({
      changed: false,
      branch: 'main',
      changedFiles: [],
      closedPullRequest: 1
    })
    expect(double.pulls[0].state).toBe('closed')
    expect(double.pulls[0].comments).toEqual([
      'Closed by the echo3D assets action: `main` already has every selected file as echo3D serves it.'
    ])
    expect(second.log.lines).toContain(
      'No file differs from main: no pull request needed; closed the obsolete #1'
    )
  })

  it('is not opened when the base has every file and none is open', async () => {
    const double = await startGitHub()
    await pullAndDeliver(emulator(), { entries: ROBOT, commit: 'push' }, { github: double })
    double.requests.splice(0)
    const { delivery } = await pullAndDeliver(emulator(), PULL_REQUEST, { github: double })
    expect(outcomeOf(delivery)).toEqual({
      changed: false,
      branch: 'main',
      changedFiles: [],
      closedPullRequest: undefined
    })
    expect(double.pulls).toEqual([])
    expect(double.requests.filter(request => request.method !== 'GET')).toEqual([])
  })

  it('takes the title, head branch and base branch the inputs name', async () => {
    const double = await startGitHub()
    await double.git('update-ref', 'refs/heads/develop', await double.git('rev-parse', 'main'))
    const { delivery } = await pullAndDeliver(
      emulator(),
      {
        ...PULL_REQUEST,
        branch: 'develop',
        'pull-request-branch': 'bot/models',
        'pull-request-title': 'Nightly model refresh'
      },
      { github: double }
    )
    expect(outcomeOf(delivery).branch).toBe('develop')
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

  it('is opened as a draft with reviewers, team reviewers, assignees and a milestone, none added twice', async () => {
    const double = await startGitHub()
    const inputs = {
      ...PULL_REQUEST,
      'pull-request-draft': 'true',
      'pull-request-reviewers': 'alice, bob',
      'pull-request-team-reviewers': 'artists',
      'pull-request-assignees': 'carol',
      'pull-request-milestone': '7'
    }
    const first = await pullAndDeliver(emulator(), inputs, { github: double })
    await pullAndDeliver(emulator(), inputs, { github: double, workspace: first.run.workspace })
    expect(double.pulls).toEqual([
      expect.objectContaining({
        draft: true,
        reviewers: ['alice', 'bob'],
        teamReviewers: ['artists'],
        assignees: ['carol'],
        milestone: 7
      })
    ])
  })

  it("keeps its description within GitHub's limit for many files, each row whole", async () => {
    const double = await startGitHub()
    // Long names, so that a hundred files are more than a description holds.
    const folder = ['a', 'b', 'c'].map(letter => letter.repeat(200)).join('/')
    const files = Object.fromEntries(
      Array.from({ length: 100 }, (_, index) => [
        `assets/echo3d/${folder}/model ${index} ${'d'.repeat(180)}.glb`,
        `model ${index}`
      ])
    )
    const { workspace, report } = await madeUpPull(files)
    const inputs = actionInputs(workspace, { commit: 'pull-request', 'github-token': double.token })
    for (const created of [true, false]) {
      const { delivery } = await deliver(inputs, report, { github: double })
      expect(outcomeOf(delivery).pullRequest?.created).toBe(created)
      const { body } = double.pulls[0]
      expect(body.length).toBeLessThanOrEqual(65_536)
      expect(body).toContain('This pull request updates 100 files pulled from echo3D.')
      const rows = body.split('\n').filter(line => line.startsWith('| `assets/'))
      expect(rows.length).toBeGreaterThan(30)
      for (const row of rows)
        expect(row).toMatch(/^\| `[^`]+ d{180}\.glb` \| `entry-\d+` \| `glb` \| \d+ B \|$/)
      expect(body).toContain(
        `…and ${100 - rows.length} more files, left out to keep this description within GitHub's limit. The commit lists every file.`
      )
    }
  })
})

describe('what stops a pull request, and what the message says', () => {
  it.each<[string, RepositorySettings, string]>([
    [
      'the setting that lets Actions create pull requests',
      { actionsCanCreatePullRequests: false },
      'Could not open or update the pull request: GitHub Actions is not permitted to create or approve pull requests. Turn on Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" (for an organization, in its settings first), or pass a PAT or GitHub App token as `github-token`'
    ],
    [
      'pull-requests: write, for a token that may commit but not open pull requests',
      { pullRequests: 'read' },
      'Could not open or update the pull request: the token may not do it (HTTP 403: Resource not accessible by integration). Add `permissions: { contents: write, pull-requests: write }` to the job, or pass a token that has them as `github-token`'
    ]
  ])('names %s', async (_name, settings, message) => {
    const double = await startGitHub(settings)
    const { delivery } = await pullAndDeliver(emulator(), PULL_REQUEST, { github: double })
    expect(failureOf(delivery)).toBe(message)
    expect(double.pulls).toEqual([])
  })

  it('names a base branch that does not exist', async () => {
    const double = await startGitHub()
    const { delivery } = await pullAndDeliver(
      emulator(),
      { ...PULL_REQUEST, branch: 'release' },
      { github: double }
    )
    expect(failureOf(delivery)).toBe(
      'Base branch release does not exist. Set `branch` to the branch the pull request should target'
    )
    expect(await double.git('branch', '--list')).not.toContain('echo3d/assets')
  })

  it('gives a run on another branch a head branch of its own, and leaves the pull request into main alone', async () => {
    const double = await startGitHub()
    await pullAndDeliver(emulator(), PULL_REQUEST, { github: double, ref: 'refs/heads/main' })
    const reviewed = await double.git('rev-parse', 'echo3d/assets')
    await double.git('update-ref', 'refs/heads/feature', await double.git('rev-parse', 'main'))
    await double.commitFiles('feature', { 'ci.yml': 'unreviewed' }, 'Unreviewed work')
    const onFeature = await pullAndDeliver(emulator(), PULL_REQUEST, {
      github: double,
      ref: 'refs/heads/feature'
    })
    expect(outcomeOf(onFeature.delivery).pullRequest?.number).toBe(2)
    expect(await double.git('rev-parse', 'echo3d/assets')).toBe(reviewed)
    expect(double.pulls.map(pull => [pull.head, pull.base])).toEqual([
      ['echo3d/assets', 'main'],
      ['echo3d/assets-feature', 'feature']
    ])
  })

  it('keeps updating a pull request into another branch from echo3d/assets, as it was opened before', async () => {
    const double = await startGitHub()
    await double.git('update-ref', 'refs/heads/develop', await double.git('rev-parse', 'main'))
    const into = { ...PULL_REQUEST, branch: 'develop' }
    const named = { ...into, 'pull-request-branch': 'echo3d/assets' }
    await pullAndDeliver(emulator(), named, { github: double })
    emulator().reupload(ROBOT)
    const later = await pullAndDeliver(emulator(), into, { github: double })
    expect(outcomeOf(later.delivery).pullRequest).toEqual(
      expect.objectContaining({ number: 1, created: false })
    )
    expect(double.pulls.map(pull => [pull.head, pull.base])).toEqual([['echo3d/assets', 'develop']])
  })

  it('refuses to rebuild a named head branch whose open pull request goes into another branch', async () => {
    const double = await startGitHub()
    const inputs = { ...PULL_REQUEST, 'pull-request-branch': 'bot/models' }
    await pullAndDeliver(emulator(), inputs, { github: double, ref: 'refs/heads/main' })
    const reviewed = await double.git('rev-parse', 'bot/models')
    await double.git('update-ref', 'refs/heads/feature', await double.git('rev-parse', 'main'))
    await double.commitFiles('feature', { 'ci.yml': 'unreviewed' }, 'Unreviewed work')
    const onFeature = await pullAndDeliver(emulator(), inputs, {
      github: double,
      ref: 'refs/heads/feature'
    })
    expect(failureOf(onFeature.delivery)).toBe(
      "bot/models is the head of open pull request #1 into main; rebuilding it on feature, this run's branch, would put feature's commits into #1. Leave `pull-request-branch` empty, which gives each branch a head branch of its own, or run this workflow on main only"
    )
    expect(await double.git('rev-parse', 'bot/models')).toBe(reviewed)
    expect(double.pulls.map(pull => pull.base)).toEqual(['main'])
  })

  it("proposes nothing from a run on a pull request's own branch", async () => {
    const double = await startGitHub()
    await pullAndDeliver(emulator(), PULL_REQUEST, { github: double, ref: 'refs/heads/main' })
    const onHead = await pullAndDeliver(emulator(), PULL_REQUEST, {
      github: double,
      ref: 'refs/heads/echo3d/assets'
    })
    expect(failureOf(onHead.delivery)).toMatch(
      /^This run is on echo3d\/assets, a pull request's own branch, which each run rebuilds/
    )
    expect(double.pulls).toHaveLength(1)
  })
})

describe('the previews in the pull request', () => {
  /** A picture made up for the run: delivery commits what `previews` drew, whatever it shows. */
  async function pictures(): Promise<Previews> {
    const folder = await scratchFolder('pictures')
    const after = path.join(folder, '0001-Robot.glb.after.png')
    await writeFile(after, 'a picture')
    return {
      folder,
      items: [{ path: 'assets/echo3d/Robot.glb', change: 'new', after, problems: [] }]
    }
  }

  /** A previews branch that a rule protects, as a repository's settings might. */
  async function protectedPreviews(): Promise<GitHubDouble> {
    const double = await startGitHub({ protectedBranches: ['echo3d-assets/previews'] })
    await double.git('branch', 'echo3d-assets/previews', 'main')
    return double
  }

  it('opens the pull request without them when the previews branch refuses them, and says why', async () => {
    const double = await protectedPreviews()
    const runner = { github: double, pictures: await pictures() }
    const { delivery, log } = await pullAndDeliver(emulator(), PULL_REQUEST, runner)
    expect(outcomeOf(delivery).pullRequest).toEqual(expect.objectContaining({ created: true }))
    expect(log.warnings).toContainEqual(
      expect.stringMatching(/^Could not commit the previews: .*protected/)
    )
    const body = double.pulls.at(-1)?.body ?? ''
    expect(body).toContain(
      '| `assets/echo3d/Robot.glb` | — | `after: drawn, but not committed; the job log says why` | `new` |'
    )
    expect(body).not.toContain('<img')
  })

  it('delivers the models all the same, and says why the pictures were not committed', async () => {
    const double = await protectedPreviews()
    const runner = { github: double, pictures: await pictures() }
    const { delivery } = await pullAndDeliver(emulator(), PULL_REQUEST, runner)
    expect(outcomeOf(delivery).previewsProblem).toMatch(
      /^Could not commit the previews: .*echo3d-assets\/previews.*protected/
    )
    expect(double.pulls).toHaveLength(1)
  })

  it('refuses a previews branch that is the branch the models go to', async () => {
    const double = await startGitHub()
    const runner = { github: double, pictures: await pictures() }
    const inputs = { ...PULL_REQUEST, 'previews-branch': 'main' }
    const { delivery } = await pullAndDeliver(emulator(), inputs, runner)
    expect(outcomeOf(delivery).previewsProblem).toContain(
      '`previews-branch` is main, the branch the models go to'
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
  })
})
