// `commit: push` through the GitHub API, in-process: the engine pulls from the emulator, then
// deliverReport commits to the GitHub double, whose bare repository the tests read with git.
import { describe, expect, it, jest } from '@jest/globals'
import { DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { GitHubDouble, RepositorySettings } from '../../doubles/github-api.ts'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { explainGitHubError } from '../../src/action/delivery/github.js'
import { serializeLockfile } from '../../src/engine/lockfile.js'
import { shardOf } from '../../src/engine/shard.js'
import { LOCKFILE, sharedEmulator, sharedGitHub } from '../support.ts'
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

const writes = (double: GitHubDouble) => double.requests.filter(request => request.method !== 'GET')
const ENTRIES = `${DESK_LAMP}: glb, usdz\n${ROBOT}`

describe('commit: push through the API', () => {
  it('commits the pulled files and the lockfile on the tip, then nothing when a re-run changes nothing', async () => {
    const double = await startGitHub()
    const before = await double.git('rev-parse', 'main')
    const inputs = { entries: ENTRIES, commit: 'push' }
    const first = await pullAndDeliver(emulator(), inputs, { github: double })
    const outcome = outcomeOf(first.delivery)
    expect(outcome.changed).toBe(true)
    expect(outcome.branch).toBe('main')
    expect(outcome.commitSha).toBe(await double.git('rev-parse', 'main'))
    expect(await double.git('rev-parse', 'main^')).toBe(before)
    expect((await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')).toEqual([
      'README.md',
      'assets/echo3d/Desk Lamp.glb',
      'assets/echo3d/Desk Lamp.usdz',
      'assets/echo3d/Robot.glb',
      'assets/echo3d/echo3d.lock.json'
    ])
    expect(await double.git('log', '-1', '--format=%B', 'main')).toMatch(
      /^Update echo3D assets\n\n- assets\/echo3d\/Desk Lamp.glb \(glb, \d+ B, entry 5d1e7c1a.*\n- assets\/echo3d\/Desk Lamp.usdz .*\n- assets\/echo3d\/Robot.glb .*\n- assets\/echo3d\/echo3d.lock.json \(lockfile, [\d.]+ K?i?B\)\n*$/
    )
    for (const file of first.run.report.files) {
      const size = await double.git('cat-file', '-s', `main:${file.path}`)
      expect(Number(size)).toBe(file.bytes)
    }
    expect(first.log.lines).toContain(
      `Committed 4 changed files to main: ${outcome.commitSha ?? ''}`
    )

    double.requests.splice(0)
    const second = await pullAndDeliver(emulator(), inputs, {
      github: double,
      workspace: first.run.workspace
    })
    expect(outcomeOf(second.delivery)).toEqual(
      expect.objectContaining({ changed: false, commitSha: undefined, changedFiles: [] })
    )
    expect(writes(double)).toEqual([])
    expect(await double.git('rev-parse', 'main')).toBe(outcome.commitSha)
    expect(second.log.lines).toContain('No file differs from main: nothing to commit')
  })

  it('uploads and commits only the file that changed', async () => {
    const double = await startGitHub()
    const inputs = { entries: ENTRIES, commit: 'push' }
    const first = await pullAndDeliver(emulator(), inputs, { github: double })
    await double.commitFiles(
      'main',
      { 'assets/echo3d/Robot.glb': 'an older robot' },
      'Someone edits a model'
    )
    double.requests.splice(0)
    const second = await pullAndDeliver(emulator(), inputs, {
      github: double,
      workspace: first.run.workspace
    })
    expect(outcomeOf(second.delivery).changedFiles.map(file => file.path)).toEqual([
      'assets/echo3d/Robot.glb'
    ])
    expect(await double.git('diff', '--name-only', 'main^', 'main')).toBe('assets/echo3d/Robot.glb')
    expect(writes(double).filter(request => request.path.endsWith('/git/blobs'))).toHaveLength(1)
  })

  it('commits the deletion of pruned files, with the lockfile', async () => {
    const double = await startGitHub()
    const first = await pullAndDeliver(
      emulator(),
      { entries: ENTRIES, commit: 'push' },
      { github: double }
    )
    const second = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push', prune: 'true' },
      { github: double, workspace: first.run.workspace }
    )
    expect(outcomeOf(second.delivery).changed).toBe(true)
    expect(await double.git('diff', '--name-status', 'main^', 'main')).toBe(
      'D\tassets/echo3d/Desk Lamp.glb\nD\tassets/echo3d/Desk Lamp.usdz\nM\tassets/echo3d/echo3d.lock.json'
    )
    expect(await double.git('log', '-1', '--format=%B', 'main')).toContain(
      '- removed assets/echo3d/Desk Lamp.glb\n'
    )
  })

  it('forgets a record whose file is already gone, and commits no deletion of that path', async () => {
    const double = await startGitHub()
    const handMade = 'assets/echo3d/Hand made.glb'
    await double.commitFiles('main', { [handMade]: 'modelled by hand' }, 'A model made by hand')
    const first = await pullAndDeliver(emulator(), { entries: ROBOT }, { github: double })
    const { workspace } = first.run
    const forged = { entry: 'x', format: 'glb', storageId: 'x', bytes: 16, sha256: '0'.repeat(64) }
    await writeFile(
      path.join(workspace, LOCKFILE),
      serializeLockfile([{ path: handMade, ...forged }])
    )
    const { delivery } = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push', prune: 'true' },
      { github: double, workspace }
    )
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(await double.git('diff', '--name-status', 'main^', 'main')).toBe(
      'A\tassets/echo3d/Robot.glb\nA\tassets/echo3d/echo3d.lock.json'
    )
    expect(await double.git('show', `main:${handMade}`)).toBe('modelled by hand')
  })

  it('commits to the branch the inputs name, with the first line of the message they give', async () => {
    const double = await startGitHub()
    await double.git('update-ref', 'refs/heads/assets', await double.git('rev-parse', 'main'))
    const { delivery } = await pullAndDeliver(
      emulator(),
      {
        entries: ROBOT,
        commit: 'push',
        branch: 'assets',
        'commit-message': 'chore: refresh models\nignored second line'
      },
      { github: double }
    )
    expect(outcomeOf(delivery).branch).toBe('assets')
    expect(await double.git('log', '-1', '--format=%s', 'assets')).toBe('chore: refresh models')
    expect(await double.git('log', '-1', '--format=%B', 'assets')).not.toContain('ignored')
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
  })

  it('commits to the default branch on a tag run, and to the head branch on a pull_request run', async () => {
    const double = await startGitHub({ defaultBranch: 'trunk' })
    const tagRun = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push' },
      { github: double, ref: 'refs/tags/v1.2.0' }
    )
    expect(outcomeOf(tagRun.delivery).branch).toBe('trunk')
    expect(await double.git('ls-tree', '--name-only', '-r', 'trunk')).toContain(
      'assets/echo3d/Robot.glb'
    )

    await double.git('update-ref', 'refs/heads/feature', await double.git('rev-parse', 'trunk~1'))
    const pullRequestRun = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push' },
      { github: double, ref: 'refs/pull/4/merge', env: { GITHUB_HEAD_REF: 'feature' } }
    )
    expect(outcomeOf(pullRequestRun.delivery).branch).toBe('feature')
    expect(await double.git('ls-tree', '--name-only', '-r', 'feature')).toContain(
      'assets/echo3d/Robot.glb'
    )
  })

  it('rebuilds the commit on the new tip when the branch moves meanwhile, never forcing it', async () => {
    const double = await startGitHub()
    // The pause before a rebuild is random, up to a second: next to none here. The draws differ,
    // as Octokit's limiter names its jobs with them.
    let draws = 0
    const random = jest.spyOn(Math, 'random').mockImplementation(() => ++draws / 1e6)
    double.beforeNextRefUpdate = async () => {
      await double.commitFiles('main', { 'docs/notes.md': 'pushed meanwhile' }, 'A concurrent push')
    }
    const { delivery, log } = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push' },
      { github: double }
    ).finally(() => random.mockRestore())
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(log.lines).toContain(
      'Branch main moved while committing; rebuilding the commit on its new tip (try 2 of 8)'
    )
    expect(await double.git('log', '--format=%s', 'main')).toBe(
      'Update echo3D assets\nA concurrent push\nInitial commit'
    )
    expect((await double.git('ls-tree', '--name-only', '-r', 'main')).split('\n')).toEqual(
      expect.arrayContaining(['docs/notes.md', 'assets/echo3d/Robot.glb'])
    )
    expect(double.requests.filter(request => request.status === 422)).toHaveLength(1)
  })
})

describe('what stops a push, and what the message says', () => {
  it('commits nothing, and asks GitHub nothing, when an asset failed', async () => {
    const double = await startGitHub()
    const { delivery } = await pullAndDeliver(
      emulator(),
      { entries: `${ROBOT}\nmissing-entry`, commit: 'push' },
      { github: double, allowFailures: true }
    )
    expect(delivery).toEqual({
      kind: 'skipped',
      reason: '1 asset failed, so nothing was committed or uploaded'
    })
    expect(double.requests).toEqual([])
  })

  it('pushes no model over budget unless budget-mode is warn', async () => {
    const double = await startGitHub()
    const { workspace, report } = await madeUpPull({ 'assets/echo3d/Robot.glb': 'robot' })
    report.overBudget.push({
      path: 'assets/echo3d/Robot.glb',
      format: 'glb',
      limit: 'triangles',
      max: 0,
      actual: 1
    })
    const inputs = { commit: 'push', 'github-token': double.token }
    const refused = await deliver(actionInputs(workspace, inputs), report, { github: double })
    expect(refused.delivery).toEqual({
      kind: 'skipped',
      reason:
        '1 budget broken, so nothing was pushed or uploaded. Raise the budgets, or set `budget-mode: warn` to push anyway'
    })
    expect(double.requests).toEqual([])
    const warned = await deliver(
      actionInputs(workspace, { ...inputs, 'budget-mode': 'warn' }),
      report,
      { github: double }
    )
    expect(outcomeOf(warned.delivery).changed).toBe(true)
  })

  it('refuses a file too large for the blob API before asking GitHub anything', async () => {
    const double = await startGitHub()
    const { workspace, report } = await madeUpPull({
      'assets/echo3d/Hangar.glb': 41 * 1024 * 1024,
      'assets/echo3d/Robot.glb': 'robot'
    })
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
    const { delivery } = await deliver(inputs, report, { github: double })
    expect(failureOf(delivery)).toBe(
      "Cannot commit:\n- assets/echo3d/Hangar.glb (41.0 MiB) is too large for GitHub's blob API (about 40 MiB). Use `commit-method: git` (with Git LFS for large models), or `upload-artifact: true`"
    )
    expect(double.requests).toEqual([])
  })

  it.each<[string, RepositorySettings, RegExp]>([
    [
      'names the permission a read-only token lacks',
      { contents: 'read' },
      /^Could not create the commit: the token may not do it \(HTTP 403: Resource not accessible by integration\)\. Add `permissions: \{ contents: write \}` to the job/
    ],
    [
      'suggests a pull request for a protected branch',
      { protectedBranches: ['main'] },
      /^Could not update branch main: the branch is protected \(.*Protected branch update failed.*\)\. Use `commit: pull-request`/
    ]
  ])('%s', async (_name, options, message) => {
    const double = await startGitHub(options)
    const { delivery } = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push' },
      { github: double }
    )
    expect(failureOf(delivery)).toMatch(message)
    expect(await double.git('log', '--format=%s', 'main')).toBe('Initial commit')
  })

  it("quotes another shard's entry from the branch's lockfile escaped, whatever it holds", async () => {
    const double = await startGitHub()
    const { workspace, report } = await madeUpPull({ 'assets/echo3d/Chair.glb': 'chair' })
    const [chair] = report.files
    const ours = chair.entry ?? ''
    const shard = shardOf(ours, 2)
    // An entry that would start a workflow command on a line of its own, and turn text around.
    const forged = (n: number) => `other-${n}\n::error::forged\u202egnp.exe`
    let n = 0
    while (shardOf(forged(n), 2) === shard) n++
    const record = (entry: string) => ({ ...chair, entry, storageId: 'storage-0' })
    await writeFile(path.join(workspace, LOCKFILE), serializeLockfile([record(ours)]))
    await double.commitFiles(
      'main',
      { [LOCKFILE]: serializeLockfile([record(forged(n))]) },
      'Another shard, or anyone, pushes a lockfile'
    )
    const inputs = {
      commit: 'push',
      shard: `${shard}/2`,
      path: 'assets/echo3d',
      lockfile: LOCKFILE,
      'github-token': double.token
    }
    const { delivery } = await deliver(actionInputs(workspace, inputs), report, { github: double })
    const message = failureOf(delivery)
    expect(message).toContain(
      `- assets/echo3d/Chair.glb: entry ${ours} of this shard, and other-${n}\\u{a}::error::forged\\u{202e}gnp.exe of another`
    )
    expect(message).not.toMatch(/[\n\r]::error::|[\u202a-\u202e\u2066-\u2069]/)
  })

  it('says which branch does not exist', async () => {
    const double = await startGitHub()
    const { delivery } = await pullAndDeliver(
      emulator(),
      { entries: ROBOT, commit: 'push', branch: 'release' },
      { github: double }
    )
    expect(failureOf(delivery)).toBe(
      'Branch release does not exist. Create it, or set `branch` to one that does'
    )
  })

  it('says that committing needs a GitHub Actions run when GITHUB_REPOSITORY is not set', async () => {
    const { workspace, report } = await madeUpPull({ 'assets/echo3d/Robot.glb': 'robot' })
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': 't' })
    const { delivery } = await deliver(inputs, report, {})
    expect(failureOf(delivery)).toBe(
      'GITHUB_REPOSITORY is not set: committing only works inside a GitHub Actions run'
    )
  })

  it('holds the step no longer than the timeout when GitHub does not answer, and says so', async () => {
    const double = await startGitHub()
    double.unresponsive = true
    const { workspace, report } = await madeUpPull({ 'assets/echo3d/Robot.glb': 'robot' })
    const inputs = { commit: 'push', 'github-token': double.token, timeout: '1s' }
    const started = Date.now()
    const { delivery } = await deliver(actionInputs(workspace, inputs), report, { github: double })
    // In the tests' process the abort's reason comes from another realm, which Octokit does not
    // take for an Error: only the step that failed shows here, and the wording is checked below.
    expect(failureOf(delivery)).toMatch(/^Could not read branch main: /)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(double.requests).toHaveLength(1)
    const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError')
    expect(explainGitHubError(timedOut, 'read branch main', 'contents').message).toBe(
      'Could not read branch main: GitHub did not answer within the `timeout` that bounds each request. Re-run the job, or raise `timeout`'
    )
  })
})
