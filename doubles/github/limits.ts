// GitHub's rate limits as the double plays them. The secondary limit: after a number of
// content-creating requests (every POST), each one is refused for a while with 403, "You have
// exceeded a secondary rate limit" and Retry-After, then as many are accepted again. The primary
// limit: after a number of requests of any kind, each is refused with 403, x-ratelimit-remaining: 0
// and x-ratelimit-reset until that time. And the server's own bad moments: the next few requests
// answered 502, as GitHub's front ends sometimes do.
import { ApiError } from './context.ts'

interface SecondaryLimit {
  /** Content-creating requests accepted before the double refuses them. */
  after: number
  /** How long it refuses them, in its seconds: 1 unless given. */
  retryAfterSeconds?: number
}

interface PrimaryLimit {
  /** Requests accepted before the double refuses them. */
  after: number
  /** Real seconds from the first request to the reset, which the header gives as a time. */
  resetSeconds: number
}

export interface LimitSettings {
  secondaryLimit?: SecondaryLimit
  primaryLimit?: PrimaryLimit
  /** How long one of the double's seconds lasts in Retry-After: 1,000 ms unless a test shortens it with the action's. */
  secondMs?: number
  /** How many requests, from the first, are answered 502 Bad Gateway. */
  serverErrors?: number
}

export class RateLimits {
  private created = 0
  private refusingUntil = 0
  private used = 0
  private resetAt = 0
  private serverErrors = 0

  constructor(private readonly settings: LimitSettings) {}

  /** Throws the answer GitHub gives a request over a limit; counts the request otherwise. */
  check(method: string): void {
    if (this.serverErrors < (this.settings.serverErrors ?? 0)) {
      this.serverErrors++
      throw new ApiError(502, 'Server Error')
    }
    this.checkPrimary()
    if (method === 'POST') this.checkSecondary()
  }

  private checkSecondary(): void {
    const limit = this.settings.secondaryLimit
    if (!limit) return
    const secondMs = this.settings.secondMs ?? 1000
    const now = Date.now()
    if (now < this.refusingUntil) throw secondaryRefusal((this.refusingUntil - now) / secondMs)
    if (this.created < limit.after) {
      this.created++
      return
    }
    const seconds = limit.retryAfterSeconds ?? 1
    this.created = 0
    this.refusingUntil = now + seconds * secondMs
    throw secondaryRefusal(seconds)
  }

  private checkPrimary(): void {
    const limit = this.settings.primaryLimit
    if (!limit) return
    const now = Date.now()
    if (this.resetAt !== 0 && now >= this.resetAt) {
      this.used = 0
      this.resetAt = 0
    }
    // Whole seconds, as GitHub gives the reset in its header.
    if (this.resetAt === 0) this.resetAt = (Math.ceil(now / 1000) + limit.resetSeconds) * 1000
    if (this.used < limit.after) {
      this.used++
      return
    }
    throw new ApiError(403, 'API rate limit exceeded for installation ID 1.', {
      'x-ratelimit-limit': String(limit.after),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(limit.after),
      'x-ratelimit-reset': String(this.resetAt / 1000),
      'x-ratelimit-resource': 'core'
    })
  }
}

function secondaryRefusal(secondsLeft: number): ApiError {
  return new ApiError(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    { 'retry-after': String(Math.max(1, Math.ceil(secondsLeft))) }
  )
}
