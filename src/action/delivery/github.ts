// Which GitHub the run is on, the API client (loaded only by runs that commit), and what its
// failures mean for the user.

import type { getOctokit } from '@actions/github'
import type { ThrottlingOptions } from '@octokit/plugin-throttling'
import { DeliveryError, ExplainedError, errorMessage } from '../../errors.js'
import type { Logger } from '../log.js'
import { LimitWaits, type LimitKind } from './rate-limits.js'

export type Octokit = ReturnType<typeof getOctokit>
type OctokitPlugin = Parameters<typeof getOctokit>[2]

export interface Repository {
  owner: string
  repo: string
}

/** How the action talks to GitHub: the token, the bound on each request, and where waits are said. */
export interface GitHubConnection {
  token: string
  timeoutMs: number
  log: Logger
  /** How long one of GitHub's seconds lasts, in Retry-After and in the pacing: 1,000 but in tests. */
  secondMs: number
}

/** A request that got no answer within `timeout`; never retried, so the step is held no longer. */
class GitHubTimeout extends Error {
  override readonly name = 'GitHubTimeout'
}

/**
 * Answers GitHub gives a client that sends too much. A RequestError for one of them never reaches
 * the user as a permissions problem: it says which limit, and why the action stopped waiting.
 */
class GitHubLimitError extends ExplainedError {
  override readonly name = 'GitHubLimitError'

  constructor(
    limit: LimitKind,
    status: number,
    gitHubMessage: string,
    whyGivenUp: string | undefined,
    resetAt: Date | undefined
  ) {
    super(limitMessage(limit, status, gitHubMessage, whyGivenUp, resetAt))
  }
}

function limitMessage(
  limit: LimitKind,
  status: number,
  gitHubMessage: string,
  whyGivenUp: string | undefined,
  resetAt: Date | undefined
): string {
  const stopped = whyGivenUp ?? 'the action did not send it again'
  const answer = `HTTP ${status}: ${gitHubMessage}`
  if (limit === 'primary') {
    const until = resetAt ? ` until ${resetAt.toISOString().slice(11, 16)} UTC` : ''
    return `GitHub's rate limit for the token is used up${until} (${answer}), and ${stopped}. This is not a matter of permissions: re-run the job once the limit resets, or pass a token with a higher limit (a GitHub App's) as \`github-token\``
  }
  return `GitHub's secondary rate limit refused the request (${answer}), and ${stopped}. This is not a matter of permissions: other jobs of the repository may be writing at the same time; re-run the job in a few minutes, and for commits of hundreds of files use \`commit-method: git\``
}

/**
 * @actions/github is loaded only when a run commits, so runs that do not start faster. Octokit
 * waits out GitHub's rate limits within the bounds of LimitWaits, retries server errors a few
 * times, and gives each attempt `timeoutMs`: Octokit itself would wait for a GitHub that hangs.
 */
export async function connectGitHub(connection: GitHubConnection): Promise<Octokit> {
  const [{ getOctokit: create }, { retry }, { throttling }, { default: Bottleneck }] =
    await Promise.all([
      import('@actions/github'),
      import('@octokit/plugin-retry'),
      import('@octokit/plugin-throttling'),
      import('bottleneck/light.js')
    ])
  const waits = new LimitWaits(connection.log, connection.secondMs)
  // Blobs are paced by BlobPace; the plugin's own pacing of every write would make a large commit
  // take a second per file from its first one, and the run makes few other writes.
  const unpaced = new Bottleneck.Group({ maxConcurrent: null, minTime: 0 })
  const throttle: ThrottlingOptions = {
    retryAfterBaseValue: connection.secondMs,
    write: unpaced,
    notifications: unpaced,
    onSecondaryRateLimit: (seconds, request, _octokit, waited) =>
      waits.shouldRetry('secondary', seconds, request, waited),
    onRateLimit: (seconds, request, _octokit, waited) =>
      waits.shouldRetry('primary', seconds, request, waited)
  }
  // Limits are the throttling plugin's; server errors are retried, with the retry plugin's pauses.
  const retryOptions = {
    doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    retryAfterBaseValue: connection.secondMs
  }
  const octokit = create(
    connection.token,
    { throttle, retry: retryOptions },
    attemptTimeout(connection.timeoutMs),
    throttling,
    retry
  )
  octokit.hook.error('request', (error, request) => {
    throw limitErrorOf(error, waits.whyGivenUp(request)) ?? error
  })
  return octokit
}

/**
 * A plugin listed before the throttling and retry plugins wraps each attempt, not the request
 * with its waits: every attempt gets the whole `timeoutMs`.
 */
function attemptTimeout(timeoutMs: number): OctokitPlugin {
  return octokit => {
    octokit.hook.wrap('request', async (request, options) => {
      const signal = AbortSignal.timeout(timeoutMs)
      options.request = { ...options.request, signal }
      try {
        return await request(options)
      } catch (error) {
        if (signal.aborted) throw new GitHubTimeout('aborted due to timeout')
        throw error
      }
    })
  }
}

/** The limit an answer is about: 403 or 429 with GitHub's wording, a Retry-After, or no requests left. */
function limitErrorOf(error: unknown, whyGivenUp?: string): GitHubLimitError | undefined {
  if (error instanceof GitHubLimitError) return error
  const status = statusOf(error)
  if (status !== 403 && status !== 429) return undefined
  const headers = headersOf(error)
  const message = errorMessage(error)
  const primary =
    headers['x-ratelimit-remaining'] === '0' || /API rate limit exceeded/i.test(message)
  const limited =
    primary ||
    status === 429 ||
    headers['retry-after'] !== undefined ||
    /rate limit|abuse detection/i.test(message)
  if (!limited) return undefined
  const reset = Number(headers['x-ratelimit-reset'])
  const resetAt = primary && reset > 0 ? new Date(reset * 1000) : undefined
  return new GitHubLimitError(
    primary ? 'primary' : 'secondary',
    status,
    message,
    whyGivenUp,
    resetAt
  )
}

function headersOf(error: unknown): Record<string, string | undefined> {
  const headers = (error as { response?: { headers?: unknown } } | undefined)?.response?.headers
  return typeof headers === 'object' && headers !== null ? (headers as Record<string, string>) : {}
}

export function repositoryFromEnv(env: NodeJS.ProcessEnv): Repository {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) {
    throw new DeliveryError(
      'GITHUB_REPOSITORY is not set: committing only works inside a GitHub Actions run'
    )
  }
  return { owner, repo }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status
  return typeof status === 'number' ? status : undefined
}

/** What a GitHub API failure means for the user, and which setting or permission to change. */
export function explainGitHubError(
  error: unknown,
  action: string,
  scope: 'contents' | 'pull-requests'
): DeliveryError {
  const limit = limitErrorOf(error)
  if (limit) return new DeliveryError(`Could not ${action}: ${limit.message}`)
  const status = statusOf(error)
  const message = errorMessage(error)
  if (error instanceof GitHubTimeout || /aborted due to timeout|TimeoutError/i.test(message)) {
    return new DeliveryError(
      `Could not ${action}: GitHub did not answer within the \`timeout\` that bounds each request. Re-run the job, or raise \`timeout\``
    )
  }
  if (/not permitted to create or approve pull requests/i.test(message)) {
    return new DeliveryError(
      `Could not ${action}: ${message} Turn on Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" (for an organization, in its settings first), or pass a PAT or GitHub App token as \`github-token\``
    )
  }
  if (/protected branch|rule violations|GH006/i.test(message)) {
    return new DeliveryError(
      `Could not ${action}: the branch is protected (${message}). Use \`commit: pull-request\` to propose the change instead`
    )
  }
  if (status === 403 || status === 404 || /not accessible by integration/i.test(message)) {
    return new DeliveryError(
      `Could not ${action}: the token may not do it (HTTP ${status ?? '?'}: ${message}). Add \`permissions: { contents: write${scope === 'pull-requests' ? ', pull-requests: write' : ''} }\` to the job, or pass a token that has them as \`github-token\``
    )
  }
  if (status === 401) {
    return new DeliveryError(
      `Could not ${action}: GitHub refused the token (HTTP 401). Check \`github-token\``
    )
  }
  return new DeliveryError(`Could not ${action}: ${status ? `HTTP ${status}: ` : ''}${message}`)
}

/**
 * github.com (and GHE.com), or a GitHub Enterprise Server, where some services differ: decided
 * from GITHUB_SERVER_URL, as the @actions libraries decide it.
 */
export function isEnterpriseServer(serverUrl: string | undefined): boolean {
  const hostname = serverHost(serverUrl)
  return (
    hostname !== 'github.com' && !hostname.endsWith('.ghe.com') && !hostname.endsWith('.localhost')
  )
}

/** The identity git commits are made under: GitHub's Actions bot, with the server's noreply address. */
export function botIdentity(serverUrl: string | undefined): Record<string, string> {
  const hostname = serverHost(serverUrl)
  const email =
    hostname === 'github.com'
      ? '41898282+github-actions[bot]@users.noreply.github.com'
      : `github-actions[bot]@users.noreply.${hostname}`
  return {
    GIT_AUTHOR_NAME: 'github-actions[bot]',
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: email
  }
}

/** GITHUB_SERVER_URL's host; github.com where the runner sets none. */
function serverHost(serverUrl: string | undefined): string {
  return new URL(serverUrl || 'https://github.com').hostname.toLowerCase()
}
