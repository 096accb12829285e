// GitHub's rate limits, in-process: the GitHub double refuses requests as GitHub does (a secondary
// limit on content-creating requests, a primary limit on all), and the delivery waits as it is
// told, within its bounds, or says which limit stopped it; never that the token lacks a permission.
// GitHub's seconds last TEST_SECOND_MS for the action and the double alike.
import { describe, expect, it } from '@jest/globals'
import type { GitHubDouble, RepositorySettings } from '../../doubles/github-api.ts'
import {
  actionInputs,
  deliver,
  failureOf,
  madeUpPull,
  models,
  outcomeOf,
  TEST_SECOND_MS
} from '../../harness/delivery.ts'
import { sharedGitHub } from '../support.ts'

const startGitHub = sharedGitHub()

const BLOBS = '/repos/octo-org/ar-app/git/blobs'
const posts = (double: GitHubDouble, status: number) =>
  double.requests.filter(request => request.method === 'POST' && request.status === status)

/** A push of these files to the double's main, with its settings. */
async function push(files: Record<string, string>, settings: RepositorySettings) {
  const double = await startGitHub({ secondMs: TEST_SECOND_MS, ...settings })
  const { workspace, report } = await madeUpPull(files)
  const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
  return { double, workspace, ...(await deliver(inputs, report, { github: double })) }
}

async function treeOfMain(double: GitHubDouble): Promise<string[]> {
  return (await double.git('ls-tree', '-r', '--name-only', 'main')).split('\n')
}

describe("GitHub's server errors", () => {
  it('are tried again, and the commit lands', async () => {
    const files = models(3)
    const { double, delivery } = await push(files, { serverErrors: 2 })
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(await treeOfMain(double)).toEqual(['README.md', ...Object.keys(files)].sort())
    expect(double.requests.filter(request => request.status === 502)).toHaveLength(2)
  })
})

describe("GitHub's secondary rate limit", () => {
  it('is waited out as Retry-After says, and a commit of many files lands whole, in one commit', async () => {
    const files = models(60)
    const { double, delivery, log } = await push(files, {
      secondaryLimit: { after: 20, retryAfterSeconds: 1 }
    })
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(await treeOfMain(double)).toEqual(['README.md', ...Object.keys(files)].sort())
    expect(await double.git('rev-list', '--count', 'main')).toBe('2')
    // Every blob was created once; what the limit refused was sent again after the wait.
    expect(posts(double, 201).filter(request => request.path === BLOBS)).toHaveLength(60)
    expect(posts(double, 403).length).toBeGreaterThan(0)
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        /^GitHub's secondary rate limit holds back POST \/repos\/\{owner\}\/\{repo\}\/git\/(blobs|trees|commits): waiting 1\.0s, as GitHub asks$/
      )
    )
  })

  it('fails at once, naming the limit and not a permission, when GitHub asks for a longer wait than the action gives', async () => {
    const started = Date.now()
    const { double, delivery } = await push(models(1), {
      secondaryLimit: { after: 1, retryAfterSeconds: 3600 }
    })
    expect(failureOf(delivery)).toBe(
      "Could not create the commit: GitHub's secondary rate limit refused the request (HTTP 403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.), and GitHub asked to wait 60m, longer than the 5m the action waits on a limit. This is not a matter of permissions: other jobs of the repository may be writing at the same time; re-run the job in a few minutes, and for commits of hundreds of files use `commit-method: git`"
    )
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await double.git('rev-list', '--count', 'main')).toBe('1')
  })

  it('gives up on a request still refused after three waits', async () => {
    const { double, delivery, log } = await push(models(1), {
      secondaryLimit: { after: 0, retryAfterSeconds: 1 }
    })
    expect(failureOf(delivery)).toMatch(
      /^Could not create the commit: GitHub's secondary rate limit refused the request \(HTTP 403: .*\), and it was still refused after 3 waits\. This is not a matter of permissions/
    )
    expect(posts(double, 403)).toHaveLength(4)
    expect(log.lines.filter(line => line.startsWith("GitHub's secondary rate limit"))).toHaveLength(
      3
    )
  })
})

describe("GitHub's primary rate limit", () => {
  it('is waited out until its reset, when that is soon', async () => {
    // The double gives the reset as a time of day, so the action's seconds are real ones here.
    const double = await startGitHub({ primaryLimit: { after: 8, resetSeconds: 1 } })
    const { workspace, report } = await madeUpPull(models(2))
    const inputs = actionInputs(workspace, { commit: 'push', 'github-token': double.token })
    const { delivery, log } = await deliver(inputs, report, {
      github: double,
      githubSecondMs: 1000
    })
    expect(outcomeOf(delivery).changed).toBe(true)
    expect(double.requests.filter(request => request.status === 403).length).toBeGreaterThan(0)
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^GitHub's rate limit for the token holds back .*: waiting \d\.0s/)
    )
  })

  it('fails at once, with the time it resets and no permissions advice, when that is later than the action waits', async () => {
    const { delivery } = await push(models(1), { primaryLimit: { after: 3, resetSeconds: 3600 } })
    const message = failureOf(delivery)
    expect(message).toMatch(
      /^Could not create the commit: GitHub's rate limit for the token is used up until \d\d:\d\d UTC \(HTTP 403: API rate limit exceeded for installation ID 1\.\), and GitHub asked to wait 60m0\ds, longer than the 5m the action waits on a limit\. This is not a matter of permissions/
    )
    expect(message).not.toContain('contents: write')
  })
})

describe('a commit larger than the API may create in an hour', () => {
  // That it lands through git, whole, is tested with 1,000 files in __tests__/slow/.
  it('fails before anything is sent when there is no checkout to push from', async () => {
    const { double, delivery } = await push(models(401), {})
    expect(failureOf(delivery)).toBe(
      'Cannot commit through the API: 401 files differ from main: more blobs than GitHub lets its API create in an hour (the action sends at most 400 for one commit). Check out the repository with actions/checkout before this step, so that the action can push them with git, or set `commit-method: git`'
    )
    expect(double.requests.filter(request => request.method !== 'GET')).toEqual([])
  })
})
