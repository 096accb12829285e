// What the action makes of GitHub's rate limits: an answer about a limit is never taken for a
// missing permission; waits are bounded, said once and kept alive in the log; blobs go at a pace.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { explainGitHubError } from '../../src/action/delivery/github.js'
import { BlobPace, LimitWaits } from '../../src/action/delivery/rate-limits.js'
import { recordingLogger } from '../../harness/in-process.ts'

/** A failed request as Octokit throws it: a status, GitHub's message and the answer's headers. */
function answer(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, response: { headers } })
}

const explain = (error: Error) => explainGitHubError(error, 'create the commit', 'contents').message

describe('explainGitHubError', () => {
  it.each([
    [
      '403 with the wording of the secondary limit',
      answer(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '60' })
    ],
    ['429 with Retry-After', answer(429, 'Too Many Requests', { 'retry-after': '30' })],
    ['403 with the older wording', answer(403, 'You have triggered an abuse detection mechanism.')]
  ])('takes %s for the secondary limit, not a permission', (_name, error) => {
    const message = explain(error)
    expect(message).toMatch(
      /^Could not create the commit: GitHub's secondary rate limit refused the request \(HTTP 4(03|29): .*\), and the action did not send it again\. This is not a matter of permissions/
    )
    expect(message).not.toContain('contents: write')
  })

  it('takes no requests left for the primary limit, and says when it resets', () => {
    const reset = Date.UTC(2030, 0, 1, 14, 5) / 1000
    const error = answer(403, 'API rate limit exceeded for installation ID 1.', {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset)
    })
    expect(explain(error)).toBe(
      "Could not create the commit: GitHub's rate limit for the token is used up until 14:05 UTC (HTTP 403: API rate limit exceeded for installation ID 1.), and the action did not send it again. This is not a matter of permissions: re-run the job once the limit resets, or pass a token with a higher limit (a GitHub App's) as `github-token`"
    )
  })

  it.each([
    ['integration', answer(403, 'Resource not accessible by integration')],
    [
      'admin rights',
      answer(403, 'Must have admin rights to Repository.', { 'x-ratelimit-remaining': '4999' })
    ]
  ])('still names the permission for a 403 that is about one (%s)', (_name, error) => {
    expect(explain(error)).toMatch(
      /^Could not create the commit: the token may not do it \(HTTP 403: .*\)\. Add `permissions: \{ contents: write \}` to the job/
    )
  })
})

describe('LimitWaits', () => {
  afterEach(() => {
    jest.useRealTimers()
  })
  const request = { method: 'POST', url: '/repos/{owner}/{repo}/git/blobs' }

  it('announces waits that overlap once, and says it still waits every half minute', () => {
    jest.useFakeTimers()
    const log = recordingLogger()
    const waits = new LimitWaits(log, 1000)
    expect(waits.shouldRetry('secondary', 60, request, 0)).toBe(true)
    expect(waits.shouldRetry('secondary', 60, { ...request }, 0)).toBe(true)
    expect(log.lines).toEqual([
      "GitHub's secondary rate limit holds back POST /repos/{owner}/{repo}/git/blobs: waiting 1m, as GitHub asks"
    ])
    jest.advanceTimersByTime(61_000)
    expect(log.lines.slice(1)).toEqual(["Still waiting on GitHub's rate limit: 30s left"])
  })

  it('gives up after three waits for a request, a wait over five minutes, or fifteen minutes in all', () => {
    jest.useFakeTimers()
    const waits = new LimitWaits(recordingLogger(), 1000)
    const refused = (kind: 'secondary' | 'primary', seconds: number, waited: number) => {
      const limited = { ...request }
      const retried = waits.shouldRetry(kind, seconds, limited, waited)
      return retried ? undefined : waits.whyGivenUp(limited)
    }
    expect(refused('secondary', 60, 3)).toBe('it was still refused after 3 waits')
    expect(refused('primary', 301, 0)).toBe(
      'GitHub asked to wait 5m01s, longer than the 5m the action waits on a limit'
    )
    for (let wait = 0; wait < 3; wait++) {
      expect(refused('secondary', 300, 0)).toBeUndefined()
      jest.advanceTimersByTime(300_000)
    }
    expect(refused('secondary', 1, 0)).toBe(
      "the run had waited 15m on GitHub's limits already, and waits 15m at most"
    )
  })
})

describe('BlobPace', () => {
  afterEach(() => {
    jest.useRealTimers()
  })

  it('lets the first ten blobs go at once, then one a second', async () => {
    jest.useFakeTimers()
    const pace = new BlobPace(1000)
    const started = Date.now()
    for (let blob = 0; blob < 10; blob++) await pace.take()
    expect(Date.now()).toBe(started)
    const eleventh = pace.take()
    await jest.advanceTimersByTimeAsync(1000)
    await eleventh
    expect(Date.now() - started).toBe(1000)
  })
})
