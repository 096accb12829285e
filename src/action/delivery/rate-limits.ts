// GitHub's rate limits as the action keeps them: blobs paced below the secondary limit, the waits
// GitHub asks for honoured within bounds, each wait said in the log, and a commit too large for the
// hour's allowance left to git.

import { formatDuration } from '../../quantities.js'
import type { Logger } from '../log.js'

/**
 * GitHub allows about 500 content-creating requests an hour, and a commit through the API makes
 * one per blob. The rest of the allowance is room for the tree, the commit, the pull request and a
 * rebuild on a moved branch; a commit of more blobs goes through git.
 */
export const API_BLOBS_PER_COMMIT = 400

/**
 * GitHub allows about 80 content-creating requests a minute. A run's first blobs go at once, so a
 * usual refresh of a handful of files is not slowed; then one a second, so that a minute of the
 * run's blobs, tree and commit stays below the limit.
 */
const BLOB_BURST = 10
const BLOBS_PER_SECOND = 1

/** Waits of one request on a limit before it is given up; each as long as GitHub asks. */
const MAX_WAITS_PER_REQUEST = 3
/**
 * The longest wait for one answer. A secondary limit asks for about a minute; the primary limit
 * may ask for the rest of the hour, which a job should not spend idle.
 */
const MAX_WAIT_SECONDS = 5 * 60
/** The most time a run spends waiting on limits; waits that overlap count once. */
const MAX_TOTAL_WAIT_SECONDS = 15 * 60
/** While a wait lasts, a line this often, so that a quiet job does not look hung. */
const HEARTBEAT_SECONDS = 30

export type LimitKind = 'secondary' | 'primary'

/** A request as the throttling plugin shows it to a limit handler. */
interface LimitedRequest {
  method: string
  url: string
}

/**
 * Decides whether a request a limit refused is sent again, and logs the wait. Waits of requests
 * sent side by side overlap: only one that ends later is announced, and counted for what it adds.
 * Times are in GitHub's seconds, which last `secondMs` (tests shorten them).
 */
export class LimitWaits {
  private waitedSeconds = 0
  private waitingUntil = 0
  private heartbeat: NodeJS.Timeout | undefined
  private readonly refusals = new WeakMap<object, string>()

  constructor(
    private readonly log: Logger,
    private readonly secondMs: number
  ) {}

  /** The throttling plugin's handler: true to wait `seconds` and send the request again. */
  shouldRetry(kind: LimitKind, seconds: number, request: LimitedRequest, waits: number): boolean {
    const refusal = this.refusal(seconds, waits)
    if (refusal) {
      this.refusals.set(request, refusal)
      return false
    }
    this.extendWait(kind, seconds, request)
    return true
  }

  /** Why a limited request was not sent again; undefined when no handler refused it. */
  whyGivenUp(request: object): string | undefined {
    return this.refusals.get(request)
  }

  private refusal(seconds: number, waits: number): string | undefined {
    if (waits >= MAX_WAITS_PER_REQUEST)
      return `it was still refused after ${MAX_WAITS_PER_REQUEST} waits`
    if (seconds > MAX_WAIT_SECONDS)
      return `GitHub asked to wait ${this.duration(seconds)}, longer than the ${this.duration(MAX_WAIT_SECONDS)} the action waits on a limit`
    if (this.waitedSeconds + this.added(seconds) > MAX_TOTAL_WAIT_SECONDS)
      return `the run had waited ${this.duration(this.waitedSeconds)} on GitHub's limits already, and waits ${this.duration(MAX_TOTAL_WAIT_SECONDS)} at most`
    return undefined
  }

  /** What a wait of `seconds` from now adds to the waits already under way. */
  private added(seconds: number): number {
    const now = this.nowSeconds()
    return Math.max(0, now + seconds - Math.max(now, this.waitingUntil))
  }

  private extendWait(kind: LimitKind, seconds: number, request: LimitedRequest): void {
    const added = this.added(seconds)
    if (added === 0) return
    this.waitedSeconds += added
    this.waitingUntil = this.nowSeconds() + seconds
    const limit = kind === 'secondary' ? 'secondary rate limit' : 'rate limit for the token'
    this.log.info(
      `GitHub's ${limit} holds back ${request.method} ${request.url}: waiting ${this.duration(seconds)}, as GitHub asks`
    )
    this.keepHeartbeat()
  }

  private keepHeartbeat(): void {
    if (this.heartbeat) return
    this.heartbeat = setInterval(() => {
      const left = this.waitingUntil - this.nowSeconds()
      if (left > 0) {
        this.log.info(`Still waiting on GitHub's rate limit: ${this.duration(left)} left`)
        return
      }
      clearInterval(this.heartbeat)
      this.heartbeat = undefined
    }, HEARTBEAT_SECONDS * this.secondMs)
    // The retry's own timer holds the process while a wait lasts; this one never should.
    this.heartbeat.unref()
  }

  private nowSeconds(): number {
    return Date.now() / this.secondMs
  }

  private duration(seconds: number): string {
    return formatDuration(Math.ceil(seconds) * 1000)
  }
}

/**
 * Blobs start at most BLOBS_PER_SECOND after the first BLOB_BURST: a bucket that refills at that
 * rate. Shared by the upload lanes of one run.
 */
export class BlobPace {
  private tokens = BLOB_BURST
  private refilledAt = Date.now()

  constructor(private readonly secondMs: number) {}

  async take(): Promise<void> {
    for (;;) {
      const now = Date.now()
      const refill = ((now - this.refilledAt) / this.secondMs) * BLOBS_PER_SECOND
      this.tokens = Math.min(BLOB_BURST, this.tokens + refill)
      this.refilledAt = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      const waitMs = ((1 - this.tokens) / BLOBS_PER_SECOND) * this.secondMs
      await new Promise(resolve => setTimeout(resolve, waitMs))
    }
  }
}
