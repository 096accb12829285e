// The pull request endpoints that `commit: pull-request` uses. Pull requests live only in memory,
// in `double.pulls`, where tests read them; comments and labels go through the issues endpoints,
// as on GitHub, where every pull request is also an issue.
import type { PullRequest } from '../github-api.ts'
import { ApiError, type DoubleState, type RouteContext } from './context.ts'

export function listPulls(context: RouteContext): unknown {
  const { state, query } = context
  const head = query.get('head')
  const base = query.get('base')
  return state.double.pulls
    .filter(pull => pull.state === (query.get('state') ?? 'open'))
    .filter(pull => !head || `${state.double.owner}:${pull.head}` === head)
    .filter(pull => !base || pull.base === base)
    .map(pull => describePull(state, pull))
}

/** GitHub refuses a pull request description longer than this many characters. */
const MAX_BODY_CHARACTERS = 65_536

function checkBody(body: unknown): void {
  if (typeof body === 'string' && body.length > MAX_BODY_CHARACTERS) {
    throw new ApiError(
      422,
      `Validation Failed: body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)`
    )
  }
}

export function createPull(context: RouteContext): unknown {
  const { state, body } = context
  if (state.options.actionsCanCreatePullRequests === false) {
    throw new ApiError(403, 'GitHub Actions is not permitted to create or approve pull requests.')
  }
  checkBody(body.body)
  const pull: PullRequest = {
    number: state.double.pulls.length + 1,
    title: String(body.title),
    body: typeof body.body === 'string' ? body.body : '',
    head: String(body.head),
    base: String(body.base),
    state: 'open',
    labels: [],
    comments: [],
    draft: body.draft === true,
    reviewers: [],
    teamReviewers: [],
    assignees: []
  }
  state.double.pulls.push(pull)
  return describePull(state, pull)
}

export function updatePull(context: RouteContext): unknown {
  const { state, body } = context
  const pull = findPull(state, context.captures[0])
  checkBody(body.body)
  if (typeof body.title === 'string') pull.title = body.title
  if (typeof body.body === 'string') pull.body = body.body
  if (body.state === 'closed' || body.state === 'open') pull.state = body.state
  return describePull(state, pull)
}

export function addComment(context: RouteContext): unknown {
  const { body } = context
  const pull = findPull(context.state, context.captures[0])
  pull.comments.push(String(body.body))
  return { id: pull.comments.length, body: body.body }
}

export function addLabels(context: RouteContext): unknown {
  const pull = findPull(context.state, context.captures[0])
  for (const label of (context.body.labels as string[]) ?? []) {
    if (!pull.labels.includes(label)) pull.labels.push(label)
  }
  return pull.labels.map(name => ({ name }))
}

export function requestReviewers(context: RouteContext): unknown {
  const pull = findPull(context.state, context.captures[0])
  addNew(pull.reviewers, context.body.reviewers)
  addNew(pull.teamReviewers, context.body.team_reviewers)
  return describePull(context.state, pull)
}

export function addAssignees(context: RouteContext): unknown {
  const pull = findPull(context.state, context.captures[0])
  addNew(pull.assignees, context.body.assignees)
  return describePull(context.state, pull)
}

/** PATCH /issues/{number}: the action sets only the milestone there. */
export function updateIssue(context: RouteContext): unknown {
  const pull = findPull(context.state, context.captures[0])
  if (typeof context.body.milestone === 'number') pull.milestone = context.body.milestone
  return describePull(context.state, pull)
}

function addNew(list: string[], names: unknown): void {
  for (const name of Array.isArray(names) ? names : []) {
    if (typeof name === 'string' && !list.includes(name)) list.push(name)
  }
}

function findPull(state: DoubleState, number: string): PullRequest {
  const pull = state.double.pulls.find(candidate => candidate.number === Number(number))
  if (!pull) throw new ApiError(404, 'Not Found')
  return pull
}

function describePull(state: DoubleState, pull: PullRequest): unknown {
  const { owner, repo } = state.double
  return {
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
    head: { ref: pull.head },
    base: { ref: pull.base },
    labels: pull.labels.map(name => ({ name })),
    draft: pull.draft
  }
}
