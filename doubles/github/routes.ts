// Which handler answers which REST endpoint. Paths in the table are relative to
// /repos/{owner}/{repo}, as the double holds a single repository; the first row whose method and
// pattern match answers.
import type { GitHubDoubleOptions } from '../github-api.ts'
import { ApiError, type DoubleState, type RouteContext } from './context.ts'
import {
  createBlob,
  getBlob,
  createCommit,
  createRef,
  createTree,
  getBranchRef,
  getCommit,
  getTree,
  updateBranchRef
} from './git-database.ts'
import {
  addAssignees,
  addComment,
  addLabels,
  createPull,
  listPulls,
  requestReviewers,
  updateIssue,
  updatePull
} from './pulls.ts'

type Permission = 'contents' | 'pullRequests'

interface Route {
  method: 'GET' | 'POST' | 'PATCH'
  path: RegExp
  /** The token permission the route writes with; GitHub checks it before anything else. */
  writes?: Permission
  handle: (context: RouteContext) => unknown
}

export interface ApiCall {
  method: string
  pathname: string
  query: URLSearchParams
  body: Record<string, unknown>
}

const ROUTES: Route[] = [
  { method: 'GET', path: /^$/, handle: getRepository },
  { method: 'GET', path: /^\/git\/ref\/heads\/(.+)$/, handle: getBranchRef },
  { method: 'GET', path: /^\/git\/commits\/([0-9a-f]{40})$/, handle: getCommit },
  { method: 'GET', path: /^\/git\/trees\/([0-9a-f]{40})$/, handle: getTree },
  { method: 'GET', path: /^\/git\/blobs\/([0-9a-f]{40})$/, handle: getBlob },
  { method: 'POST', path: /^\/git\/blobs$/, writes: 'contents', handle: createBlob },
  { method: 'POST', path: /^\/git\/trees$/, writes: 'contents', handle: createTree },
  { method: 'POST', path: /^\/git\/commits$/, writes: 'contents', handle: createCommit },
  {
    method: 'PATCH',
    path: /^\/git\/refs\/heads\/(.+)$/,
    writes: 'contents',
    handle: updateBranchRef
  },
  { method: 'POST', path: /^\/git\/refs$/, writes: 'contents', handle: createRef },
  { method: 'GET', path: /^\/pulls$/, handle: listPulls },
  { method: 'POST', path: /^\/pulls$/, writes: 'pullRequests', handle: createPull },
  { method: 'PATCH', path: /^\/pulls\/(\d+)$/, writes: 'pullRequests', handle: updatePull },
  {
    method: 'POST',
    path: /^\/pulls\/(\d+)\/requested_reviewers$/,
    writes: 'pullRequests',
    handle: requestReviewers
  },
  {
    method: 'POST',
    path: /^\/issues\/(\d+)\/assignees$/,
    writes: 'pullRequests',
    handle: addAssignees
  },
  { method: 'PATCH', path: /^\/issues\/(\d+)$/, writes: 'pullRequests', handle: updateIssue },
  {
    method: 'POST',
    path: /^\/issues\/(\d+)\/comments$/,
    writes: 'pullRequests',
    handle: addComment
  },
  {
    method: 'POST',
    path: /^\/issues\/(\d+)\/labels$/,
    writes: 'pullRequests',
    handle: addLabels
  }
]

/** Answers one API call with the JSON to send, or throws an ApiError. */
export async function route(state: DoubleState, call: ApiCall): Promise<unknown> {
  const prefix = `/repos/${state.double.owner}/${state.double.repo}`
  if (!call.pathname.startsWith(prefix)) throw new ApiError(404, 'Not Found')
  const found = findRoute(call.method, call.pathname.slice(prefix.length))
  if (!found) throw new ApiError(404, 'Not Found')
  if (found.route.writes) requireWrite(state.options, found.route.writes)
  const { query, body } = call
  return await found.route.handle({ state, captures: found.captures, query, body })
}

function findRoute(method: string, path: string): { route: Route; captures: string[] } | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue
    const match = path.match(candidate.path)
    if (match) return { route: candidate, captures: match.slice(1) }
  }
  return undefined
}

function requireWrite(options: GitHubDoubleOptions, permission: Permission): void {
  if ((options[permission] ?? 'write') !== 'write')
    throw new ApiError(403, 'Resource not accessible by integration')
}

function getRepository(context: RouteContext): unknown {
  const { double, defaultBranch } = context.state
  return {
    id: 1,
    name: double.repo,
    full_name: `${double.owner}/${double.repo}`,
    owner: { login: double.owner },
    default_branch: defaultBranch
  }
}
