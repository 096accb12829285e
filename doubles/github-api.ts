/**
 * A loopback double of the GitHub REST API endpoints the action uses, backed by a real bare git
 * repository: blobs, trees, commits and refs are written with git plumbing, so tests can check the
 * result with `git log`, `git show` and `git ls-tree`.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface GitHubDoubleOptions {
  owner?: string
  repo?: string
  defaultBranch?: string
  token?: string
  /** What the token may do; both default to write. */
  contents?: 'read' | 'write'
  pullRequests?: 'read' | 'write'
  /** The repository setting "Allow GitHub Actions to create and approve pull requests". */
  actionsCanCreatePullRequests?: boolean
  protectedBranches?: string[]
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
}

export interface ApiRequest {
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
  /** Runs once before the next ref update: lets a test move the branch meanwhile. */
  beforeNextRefUpdate?: () => Promise<void>
  git(...args: string[]): Promise<string>
  /** Commits files onto a branch directly, as another push would. */
  commitFiles(branch: string, files: Record<string, string>, message: string): Promise<string>
  close(): Promise<void>
}

class ApiError extends Error {
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

const COMMITTER = {
  GIT_AUTHOR_NAME: 'github-actions[bot]',
  GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com'
}

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const owner = options.owner ?? 'octo-org'
  const repo = options.repo ?? 'ar-app'
  const defaultBranch = options.defaultBranch ?? 'main'
  const token = options.token ?? 'ghs_double_token_0123456789'
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'github-double-'))
  const bareRepo = path.join(scratch, `${repo}.git`)

  const git = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('git', args, {
      cwd: bareRepo,
      env: { ...process.env, ...COMMITTER },
      maxBuffer: 1 << 30
    })
    return stdout.trim()
  }
  const gitWithInput = (
    args: string[],
    input: string | Buffer,
    env: NodeJS.ProcessEnv = {}
  ): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: bareRepo, env: { ...process.env, ...COMMITTER, ...env }, maxBuffer: 1 << 30 },
        (error, stdout) => (error ? reject(error) : resolve(String(stdout).trim()))
      )
      // A command that does not read its input may exit before the write: that is not a failure.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(input)
    })

  await run('git', ['init', '--bare', '--quiet', '--initial-branch', defaultBranch, bareRepo])

  const writeTree = async (
    baseTree: string | undefined,
    entries: TreeEntryInput[]
  ): Promise<string> => {
    const indexFile = path.join(scratch, `index-${process.hrtime.bigint()}`)
    const env = { GIT_INDEX_FILE: indexFile }
    try {
      await gitWithInput(baseTree ? ['read-tree', baseTree] : ['read-tree', '--empty'], '', env)
      for (const entry of entries) {
        const sha =
          entry.sha ??
          (entry.content !== undefined
            ? await gitWithInput(['hash-object', '-w', '--stdin'], entry.content)
            : null)
        // A bare repository has no work tree: a removal goes in as mode 0 through --index-info.
        if (sha === null)
          await gitWithInput(
            ['update-index', '--index-info'],
            `0 ${'0'.repeat(40)}\t${entry.path}\n`,
            env
          )
        else
          await gitWithInput(
            ['update-index', '--add', '--cacheinfo', `${entry.mode},${sha},${entry.path}`],
            '',
            env
          )
      }
      return await gitWithInput(['write-tree'], '', env)
    } finally {
      await rm(indexFile, { force: true })
    }
  }

  const tipOf = async (branch: string): Promise<string | undefined> =>
    git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`).catch(() => undefined)

  const double: GitHubDouble = {
    url: '',
    owner,
    repo,
    token,
    bareRepo,
    requests: [],
    pulls: [],
    git,
    commitFiles: async (branch, files, message) => {
      const parent = await tipOf(branch)
      const baseTree = parent ? await git('rev-parse', `${parent}^{tree}`) : undefined
      const tree = await writeTree(
        baseTree,
        Object.entries(files).map(([filePath, content]) => ({
          path: filePath,
          mode: '100644',
          content
        }))
      )
      const sha = await git('commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message)
      await git('update-ref', `refs/heads/${branch}`, sha)
      return sha
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
      await rm(scratch, { recursive: true, force: true })
    }
  }

  await double.commitFiles(defaultBranch, { 'README.md': '# AR app\n' }, 'Initial commit')

  const requireWrite = (scope: 'contents' | 'pullRequests'): void => {
    if ((options[scope] ?? 'write') !== 'write')
      throw new ApiError(403, 'Resource not accessible by integration')
  }

  async function route(
    method: string,
    pathname: string,
    query: URLSearchParams,
    body: Record<string, unknown>
  ): Promise<unknown> {
    const prefix = `/repos/${owner}/${repo}`
    if (!pathname.startsWith(prefix)) throw new ApiError(404, 'Not Found')
    const rest = pathname.slice(prefix.length)
    let match: RegExpMatchArray | null

    if (method === 'GET' && rest === '') {
      return {
        id: 1,
        name: repo,
        full_name: `${owner}/${repo}`,
        owner: { login: owner },
        default_branch: defaultBranch
      }
    }
    if (method === 'GET' && (match = rest.match(/^\/git\/ref\/heads\/(.+)$/))) {
      const branch = match[1]
      const sha = await tipOf(branch)
      if (!sha) throw new ApiError(404, 'Not Found')
      return { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }
    }
    if (method === 'GET' && (match = rest.match(/^\/git\/commits\/([0-9a-f]{40})$/))) {
      return describeCommit(match[1])
    }
    if (method === 'GET' && (match = rest.match(/^\/git\/trees\/([0-9a-f]{40})$/))) {
      return describeTree(match[1], query.get('recursive') !== null)
    }
    if (method === 'POST' && rest === '/git/blobs') {
      requireWrite('contents')
      const content = Buffer.from(
        String(body.content ?? ''),
        body.encoding === 'base64' ? 'base64' : 'utf8'
      )
      return { sha: await gitWithInput(['hash-object', '-w', '--stdin'], content), url: '' }
    }
    if (method === 'POST' && rest === '/git/trees') {
      requireWrite('contents')
      const tree = await writeTree(
        body.base_tree as string | undefined,
        body.tree as TreeEntryInput[]
      )
      return { sha: tree, tree: [] }
    }
    if (method === 'POST' && rest === '/git/commits') {
      requireWrite('contents')
      const parents = (body.parents as string[]) ?? []
      const sha = await git(
        'commit-tree',
        String(body.tree),
        ...parents.flatMap(parent => ['-p', parent]),
        '-m',
        String(body.message)
      )
      return describeCommit(sha)
    }
    if (method === 'PATCH' && (match = rest.match(/^\/git\/refs\/heads\/(.+)$/))) {
      requireWrite('contents')
      return updateRef(match[1], String(body.sha), body.force === true)
    }
    if (method === 'POST' && rest === '/git/refs') {
      requireWrite('contents')
      const ref = String(body.ref)
      if (await git('rev-parse', '--verify', '--quiet', ref).catch(() => ''))
        throw new ApiError(422, 'Reference already exists')
      await git('update-ref', ref, String(body.sha))
      return { ref, object: { sha: body.sha, type: 'commit' } }
    }
    if (method === 'GET' && rest === '/pulls') {
      const head = query.get('head')
      return double.pulls
        .filter(pull => pull.state === (query.get('state') ?? 'open'))
        .filter(pull => !head || `${owner}:${pull.head}` === head)
        .filter(pull => !query.get('base') || pull.base === query.get('base'))
        .map(describePull)
    }
    if (method === 'POST' && rest === '/pulls') {
      requireWrite('pullRequests')
      if (options.actionsCanCreatePullRequests === false) {
        throw new ApiError(
          403,
          'GitHub Actions is not permitted to create or approve pull requests.'
        )
      }
      const pull: PullRequest = {
        number: double.pulls.length + 1,
        title: String(body.title),
        body: String(body.body ?? ''),
        head: String(body.head),
        base: String(body.base),
        state: 'open',
        labels: [],
        comments: []
      }
      double.pulls.push(pull)
      return describePull(pull)
    }
    if (method === 'PATCH' && (match = rest.match(/^\/pulls\/(\d+)$/))) {
      requireWrite('pullRequests')
      const pull = findPull(Number(match[1]))
      if (typeof body.title === 'string') pull.title = body.title
      if (typeof body.body === 'string') pull.body = body.body
      if (body.state === 'closed' || body.state === 'open') pull.state = body.state
      return describePull(pull)
    }
    if (method === 'POST' && (match = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      requireWrite('pullRequests')
      const pull = findPull(Number(match[1]))
      pull.comments.push(String(body.body))
      return { id: pull.comments.length, body: body.body }
    }
    if (method === 'POST' && (match = rest.match(/^\/issues\/(\d+)\/labels$/))) {
      requireWrite('pullRequests')
      const pull = findPull(Number(match[1]))
      for (const label of (body.labels as string[]) ?? [])
        if (!pull.labels.includes(label)) pull.labels.push(label)
      return pull.labels.map(name => ({ name }))
    }
    throw new ApiError(404, 'Not Found')
  }

  async function updateRef(branch: string, sha: string, force: boolean): Promise<unknown> {
    if (double.beforeNextRefUpdate) {
      const hook = double.beforeNextRefUpdate
      double.beforeNextRefUpdate = undefined
      await hook()
    }
    const current = await tipOf(branch)
    if (!current) throw new ApiError(422, 'Reference does not exist')
    if (options.protectedBranches?.includes(branch)) {
      throw new ApiError(422, `Protected branch update failed for refs/heads/${branch}.`)
    }
    const fastForward = await git('merge-base', '--is-ancestor', current, sha).then(
      () => true,
      () => false
    )
    if (!fastForward && !force) throw new ApiError(422, 'Update is not a fast forward')
    await git('update-ref', `refs/heads/${branch}`, sha)
    return { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }
  }

  async function describeCommit(sha: string): Promise<unknown> {
    const raw = await git('cat-file', 'commit', sha).catch(() => {
      throw new ApiError(404, 'Not Found')
    })
    const tree = /^tree ([0-9a-f]{40})$/m.exec(raw)?.[1]
    const parents = [...raw.matchAll(/^parent ([0-9a-f]{40})$/gm)].map(match => ({ sha: match[1] }))
    const message = raw.slice(raw.indexOf('\n\n') + 2)
    return {
      sha,
      tree: { sha: tree },
      parents,
      message,
      verification: { verified: true, reason: 'valid' }
    }
  }

  async function describeTree(sha: string, recursive: boolean): Promise<unknown> {
    const listing = await git('ls-tree', ...(recursive ? ['-r', '-t'] : []), '-l', '-z', sha).catch(
      () => {
        throw new ApiError(404, 'Not Found')
      }
    )
    const tree = listing
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const [meta, entryPath] = line.split('\t')
        const [mode, type, entrySha, size] = meta.split(/\s+/)
        return {
          path: entryPath,
          mode,
          type,
          sha: entrySha,
          ...(type === 'blob' ? { size: Number(size) } : {})
        }
      })
    return { sha, tree, truncated: false }
  }

  function findPull(number: number): PullRequest {
    const pull = double.pulls.find(candidate => candidate.number === number)
    if (!pull) throw new ApiError(404, 'Not Found')
    return pull
  }

  function describePull(pull: PullRequest): unknown {
    return {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
      head: { ref: pull.head },
      base: { ref: pull.base },
      labels: pull.labels.map(name => ({ name }))
    }
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://github')
    const pathname = decodeURIComponent(url.pathname)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const answer = async (): Promise<unknown> => {
        if (
          request.headers.authorization !== `token ${token}` &&
          request.headers.authorization !== `Bearer ${token}`
        ) {
          throw new ApiError(401, 'Bad credentials')
        }
        const text = Buffer.concat(chunks).toString('utf8')
        return route(
          request.method ?? 'GET',
          pathname,
          url.searchParams,
          text ? JSON.parse(text) : {}
        )
      }
      answer().then(
        result => {
          const status = request.method === 'POST' ? 201 : 200
          double.requests.push({ method: request.method ?? 'GET', path: pathname, status })
          response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          response.end(JSON.stringify(result))
        },
        (error: unknown) => {
          const status = error instanceof ApiError ? error.status : 500
          double.requests.push({ method: request.method ?? 'GET', path: pathname, status })
          response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          response.end(
            JSON.stringify({
              message: error instanceof Error ? error.message : String(error),
              status: String(status)
            })
          )
        }
      )
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return double
}

interface TreeEntryInput {
  path: string
  mode: string
  type?: string
  sha?: string | null
  content?: string
}
