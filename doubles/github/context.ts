// What every route handler of the GitHub double is given, and the error it throws to answer with
// a status other than success.
import type { GitHubDouble, GitHubDoubleOptions } from '../github-api.ts'
import type { BareRepository } from './git.ts'
import type { RateLimits } from './limits.ts'

/** Answers the request with this status and GitHub's `{ message }` body. */
export class ApiError extends Error {
  readonly status: number
  /** Headers of the answer, such as Retry-After. */
  readonly headers: Record<string, string>

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.status = status
    this.headers = headers
  }
}

export interface DoubleState {
  /** The public object: tests read its pull requests and set its hooks. */
  double: GitHubDouble
  options: GitHubDoubleOptions
  defaultBranch: string
  repository: BareRepository
  limits: RateLimits
}

export interface RouteContext {
  state: DoubleState
  /** What the route's path pattern captured, such as a branch name or a pull request number. */
  captures: string[]
  query: URLSearchParams
  body: Record<string, unknown>
}
