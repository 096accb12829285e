// Which failures are worth another try, how long to wait before it, and the loop that tries.

import { HttpStatusError, TimeoutError, VerificationError } from '../../errors.js'
import { formatDuration } from '../../quantities.js'
import type { Clock } from '../ports.js'

/** Statuses that say "try again later"; 400, 401, 403 and 404 are final. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524])
/** Network faults worth another try: resets, refused connections, bodies cut short. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'HPE_INVALID_CHUNK_SIZE',
  'ERR_STREAM_PREMATURE_CLOSE'
])

export interface RetryDecision {
  retry: boolean
  /** A wait the server asked for (Retry-After), in milliseconds. */
  serverDelayMs?: number
}

export function decideRetry(error: unknown, now = Date.now()): RetryDecision {
  if (error instanceof HttpStatusError) {
    if (!RETRYABLE_STATUSES.has(error.status) && error.status < 500) return { retry: false }
    return { retry: true, serverDelayMs: parseRetryAfter(error.retryAfterHeader, now) }
  }
  if (error instanceof TimeoutError) return { retry: error.retryable }
  if (error instanceof VerificationError) return { retry: true }
  return { retry: errorCode(error, RETRYABLE_CODES) !== '' }
}

/** The first of `codes` that the error or its causes carry; '' for none. */
export function errorCode(error: unknown, codes: ReadonlySet<string>): string {
  let current = error as { code?: unknown; cause?: unknown } | null | undefined
  for (let depth = 0; depth < 4 && typeof current === 'object' && current; depth++) {
    const { code } = current
    if (typeof code === 'string' && codes.has(code)) return code
    current = current.cause as typeof current
  }
  return ''
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * A download fails at echo3D's API or at its storage host, and each has retries of its own. A
 * server that sends each try to a new place would have unbounded tries: places beyond these two
 * share one count.
 */
const PLACES_WITH_OWN_RETRIES = 2
const ANY_OTHER_PLACE = '\0elsewhere'

const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 30_000

/** Exponential backoff with jitter: half the step fixed, half random, so that retries spread out. */
export function backoffDelay(attempt: number, random = Math.random()): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt)
  return Math.round(step / 2 + (step / 2) * random)
}

export interface RetryOptions {
  clock: Clock
  retries: number
  /** Epoch milliseconds after which no further try starts. */
  deadline: number
  timeoutMs: number
  onRetry: (attempt: number, delayMs: number, error: unknown) => void
  /**
   * Where the last failure happened, such as the hop of a redirect chain: each place has
   * `retries` of its own, so that failures of one do not use up the retries of another.
   */
  placeOfFailure?: () => string
}

/** Runs `attempt` until it succeeds, fails for good, runs out of retries or of time. */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const { clock } = options
  const failures = new Map<string, number>()
  for (;;) {
    const remaining = options.deadline - clock.now()
    if (remaining <= 0) throw timeoutExceeded(options.timeoutMs)
    const signal = AbortSignal.timeout(remaining)
    try {
      return await attempt(signal)
    } catch (error) {
      // The timer may fire a moment before the clock reaches the deadline: both mean time is up.
      if (signal.aborted || clock.now() >= options.deadline) throw timeUp(error, options.timeoutMs)
      const place = countedPlace(failures, options.placeOfFailure?.() ?? '')
      const tries = failures.get(place) ?? 0
      failures.set(place, tries + 1)
      const decision = decideRetry(error, clock.now())
      if (!decision.retry || tries >= options.retries) throw error
      // The server's wish when it gave one, else backoff.
      const delay = decision.serverDelayMs ?? backoffDelay(tries)
      if (clock.now() + delay >= options.deadline) throw error
      options.onRetry(tries + 1, delay, error)
      await clock.sleep(delay)
    }
  }
}

function countedPlace(failures: ReadonlyMap<string, number>, place: string): string {
  const ownCounts = [...failures.keys()].filter(known => known !== ANY_OTHER_PLACE)
  if (failures.has(place) || ownCounts.length < PLACES_WITH_OWN_RETRIES) return place
  return ANY_OTHER_PLACE
}

/** A step that ran out of the asset's time and said what it was doing keeps its words. */
function timeUp(error: unknown, timeoutMs: number): TimeoutError {
  return error instanceof TimeoutError && !error.retryable ? error : timeoutExceeded(timeoutMs)
}

function timeoutExceeded(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `gave up after the \`timeout\` of ${formatDuration(timeoutMs)}. Raise \`timeout\` for large models or slow conversions`,
    false
  )
}
