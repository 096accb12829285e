// Commits of hundreds of files against a GitHub double that refuses content-creating requests as
// GitHub's secondary rate limit does. GitHub's seconds last TEST_SECOND_MS for both sides.
import { describe, expect, it } from '@jest/globals'
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

const startGitHub = sharedGitHub()

const BLOBS = '/repos/octo-org/ar-app/git/blobs'

async function treeOfMain(double: GitHubDouble): Promise<string[]> {
  return (await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')
}

describe('a commit of hundreds of files under the secondary limit', () => {
  it('goes through the API, each blob created once, in one commit', async () => {
    const files = models(400)
    const double = await startGitHub({
      secondMs: TEST_SECOND_MS,
      secondaryLimit: { after: 80, retryAfterSeconds: 1 }
    })
    const { workspace, report } = await madeUpPull(files)
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
    const { delivery } = await deliver(inputs, report, { github: double })
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(await treeOfMain(double)).toEqual(['README.md', ...Object.keys(files)].sort())
    expect(await double.git('rev-list', '--count', 'main')).toBe('2')
    const blobs = double.requests.filter(request => request.path === BLOBS)
    expect(blobs.filter(request => request.status === 201)).toHaveLength(400)
    expect(double.requests.filter(request => request.status === 403).length).toBeGreaterThan(0)
  })
})
