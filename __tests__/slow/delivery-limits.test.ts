// Commits of hundreds of files against a GitHub double that refuses content-creating requests as
// GitHub's secondary rate limit does. Through the API up to what it may create in an hour, and
// through git from the checkout beyond. GitHub's seconds last TEST_SECOND_MS for both sides.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { GitHubDouble } from '../../doubles/github-api.ts'
import {
  actionInputs,
  deliver,
  madeUpPull,
  models,
  outcomeOf,
  TEST_SECOND_MS
} from '../../harness/delivery.ts'
import { sharedGitHub } from '../support.ts'

const run = promisify(execFile)
const startGitHub = sharedGitHub()

const BLOBS = '/repos/octo-org/ar-app/git/blobs'

async function treeOfMain(double: GitHubDouble): Promise<string[]> {
  return (await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')
}

describe('a commit of hundreds of files under the secondary limit', () => {
  it('goes through the API up to 400 files, each blob created once, in one commit', async () => {
    const files = models(400)
    const double = await startGitHub({
      secondMs: TEST_SECOND_MS,
      secondaryLimit: { after: 80, retryAfterSeconds: 1 }
    })
    const { workspace, report } = await madeUpPull(files)
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
    const { delivery } = await deliver(inputs, report, { github: double })
    expect(outcomeOf(delivery).gitInsteadOfApi).toBeUndefined()
    expect(await treeOfMain(double)).toEqual(['README.md', ...Object.keys(files)].sort())
    expect(await double.git('rev-list', '--count', 'main')).toBe('2')
    const blobs = double.requests.filter(request => request.path === BLOBS)
    expect(blobs.filter(request => request.status === 201)).toHaveLength(400)
    expect(double.requests.filter(request => request.status === 403).length).toBeGreaterThan(0)
  })

  it('goes through git from the checkout beyond, whole, in one commit, and says so', async () => {
    const files = models(1000)
    const double = await startGitHub({ secondMs: TEST_SECOND_MS, secondaryLimit: { after: 5 } })
    const { workspace, report } = await madeUpPull(files)
    // A checkout as the git backend needs it: a repository whose origin is the double's.
    await run('git', ['init', '--quiet', workspace])
    await run('git', ['-C', workspace, 'remote', 'add', 'origin', double.bareRepo])
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
    const { delivery, log } = await deliver(inputs, report, { github: double })
    const outcome = outcomeOf(delivery)
    expect(outcome.commitSha).toBe(await double.git('rev-parse', 'main'))
    expect(await treeOfMain(double)).toEqual(['README.md', ...Object.keys(files)].sort())
    expect(await double.git('rev-list', '--count', 'main')).toBe('2')
    const reason =
      '1,000 files differ from main: more blobs than GitHub lets its API create in an hour (the action sends at most 400 for one commit)'
    expect(outcome.gitInsteadOfApi).toBe(reason)
    expect(log.lines).toContain(
      `${reason}. Committing with git from the checkout instead; GitHub does not sign such a commit`
    )
    // The API was only read: no blob, tree or commit was asked of it, so its limit never applied.
    expect(double.requests.filter(request => request.method !== 'GET')).toEqual([])
  })
})
