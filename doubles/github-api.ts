// A loopback double of the GitHub REST API endpoints the action uses, backed by a real bare git
// repository: blobs, trees, commits and refs are written with git plumbing, so tests can check the
// result with `git log`, `git show` and `git ls-tree`.
//
// This file starts the server and answers the way GitHub does (token check, rate limits, JSON
// bodies, status codes); github/routes.ts has one handler per endpoint, github/limits.ts the rate
// limits, and github/git.ts the git plumbing.
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { ApiError, type DoubleState } from './github/context.ts'
import { BareRepository } from './github/git.ts'
import { RateLimits, type LimitSettings } from './github/limits.ts'
import { route, type ApiCall } from './github/routes.ts'

export interface GitHubDoubleOptions extends LimitSettings {
  owner?: string
  repo?: string
  defaultBranch?: string
  token?: string
  /** What the token may do; both default to write. */
  contents?: 'read' | 'write'
  pullRequests?: 'read' | 'write'
  /** The repository setting "Allow GitHub Actions to create and approve pull requests". */
  actionsCanCreatePullRequests?: boolean
  /** Refused to ref updates through the API and to `git push` alike. */
  protectedBranches?: string[]
  /** Serve https with this certificate, as GitHub does. */
  tls?: { key: string; cert: string }
}

export interface PullRequest {
  number: number
  title: string
  body: string
  head: string
  base: string
  state: 'open' | 'closed'
  labels: string[]
  comments: string[]
  draft: boolean
  reviewers: string[]
  teamReviewers: string[]
  assignees: string[]
  milestone?: number
}

interface ApiRequest {
  method: string
  path: string
  status: number
}

export interface GitHubDouble {
  url: string
  owner: string
  repo: string
  token: string
  bareRepo: string
  requests: ApiRequest[]
  pulls: PullRequest[]
  /** Accepts requests and never answers them, as a GitHub that hangs would. */
  unresponsive: boolean
  /** Runs once before the next ref update: lets a test move the branch meanwhile. */
  beforeNextRefUpdate?: () => Promise<void>
  git(...args: string[]): Promise<string>
  /** Commits files onto a branch directly, as another push would. */
  commitFiles(branch: string, files: Record<string, string>, message: string): Promise<string>
  /**
   * A new repository with only its initial commit, no pull request and no request recorded, and
   * these settings instead of the last ones; the server, its address and its token stay. A test
   * file shares one double: @actions/github reads GITHUB_API_URL once, when it is loaded.
   */
  reset(settings?: RepositorySettings): Promise<void>
  close(): Promise<void>
}

/** What a reset may change: the server's own address, owner, name and token stay. */
export type RepositorySettings = Omit<GitHubDoubleOptions, 'owner' | 'repo' | 'token' | 'tls'>

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const repo = options.repo ?? 'ar-app'
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'github-double-'))
  const gitDir = path.join(scratch, `${repo}.git`)
  const template = path.join(scratch, 'template.git')
  await BareRepository.template(template)
  const server = options.tls ? https.createServer(options.tls) : http.createServer()
  // Filled in by reset(), which every start and every later reset goes through.
  const state = {} as DoubleState
  const double: GitHubDouble = {
    url: '',
    owner: options.owner ?? 'octo-org',
    repo,
    token: options.token ?? 'ghs_double_token_0123456789',
    bareRepo: gitDir,
    requests: [],
    pulls: [],
    unresponsive: false,
    git: (...args) => state.repository.git(...args),
    commitFiles: (branch, files, message) => state.repository.commitFiles(branch, files, message),
    reset: async settings => {
      const defaultBranch = settings?.defaultBranch ?? options.defaultBranch ?? 'main'
      const repository = await BareRepository.copy(template, gitDir, defaultBranch)
      const current = { ...options, ...settings }
      await repository.protectBranches(current.protectedBranches ?? [])
      const limits = new RateLimits(current)
      Object.assign(state, { double, options: current, defaultBranch, repository, limits })
      double.requests.splice(0)
      double.pulls.splice(0)
      double.unresponsive = false
      double.beforeNextRefUpdate = undefined
      await double.commitFiles(defaultBranch, { 'README.md': '# AR app\n' }, 'Initial commit')
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
      await rm(scratch, { recursive: true, force: true })
    }
  }
  await double.reset()
  server.on('request', (request, response) => answer(state, request, response))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const scheme = options.tls ? 'https' : 'http'
  double.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
  return double
}

// Every answer is recorded with its status, so that tests can assert on the calls the action made.
function answer(
  state: DoubleState,
  request: http.IncomingMessage,
  response: http.ServerResponse
): void {
  const url = new URL(request.url ?? '/', 'http://github')
  const pathname = decodeURIComponent(url.pathname)
  const method = request.method ?? 'GET'
  if (state.double.unresponsive) {
    state.double.requests.push({ method, path: pathname, status: 0 })
    return
  }
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      state.double.requests.push({ method, path: pathname, status })
      sendJson(response, status, body, headers)
    }
    const text = Buffer.concat(chunks).toString('utf8')
    resultOf(state, request, { method, pathname, query: url.searchParams }, text).then(
      result => send(method === 'POST' ? 201 : 200, result),
      (error: unknown) =>
        send(statusOf(error), errorBodyOf(error), error instanceof ApiError ? error.headers : {})
    )
  })
}

// The token is checked first, so that a request without it gets 401 even if its body is malformed.
async function resultOf(
  state: DoubleState,
  request: http.IncomingMessage,
  call: Omit<ApiCall, 'body'>,
  text: string
): Promise<unknown> {
  const { token } = state.double
  const { authorization } = request.headers
  if (authorization !== `token ${token}` && authorization !== `Bearer ${token}`) {
    throw new ApiError(401, 'Bad credentials')
  }
  state.limits.check(call.method)
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>
  return route(state, { ...call, body })
}

function statusOf(error: unknown): number {
  return error instanceof ApiError ? error.status : 500
}

function errorBodyOf(error: unknown): unknown {
  return {
    message: error instanceof Error ? error.message : String(error),
    status: String(statusOf(error))
  }
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>
): void {
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}
