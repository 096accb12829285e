// Which GitHub the run is on, the API client (loaded only by runs that commit), and what its
// failures mean for the user.

import type { getOctokit } from '@actions/github'
import { DeliveryError, errorMessage } from '../../errors.js'

export type Octokit = ReturnType<typeof getOctokit>

export interface Repository {
  owner: string
  repo: string
}

/**
 * @actions/github is loaded only when a run commits, so runs that do not start faster. No request
 * may take longer than `timeoutMs`: Octokit itself would wait for a GitHub that hangs for ever.
 */
export async function connectGitHub(token: string, timeoutMs: number): Promise<Octokit> {
  const { getOctokit: create } = await import('@actions/github')
  const octokit = create(token)
  // A before hook is Octokit's way to set a request's options; its fetch honours the signal.
  octokit.hook.before('request', options => {
    options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) }
  })
  return octokit
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
  const status = statusOf(error)
  const message = errorMessage(error)
  if (/aborted due to timeout|TimeoutError/i.test(message)) {
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
