// How long reading a model may take: what is left of its asset's `timeout`, on the run's clock. A
// hostile file decides how long the readers' loops run (nodes, images, zip entries), so each loop
// checks the deadline, and the asynchronous ones let the event loop turn now and then: a reader
// whose reads come from memory never would, and then neither the deadline's timer nor a cancelled
// job's signal, which removes the partial files, could run until it ended.

import { TimeoutError } from '../../errors.js'
import { formatDuration } from '../../quantities.js'

/** How long a reader works on before it lets the event loop turn. */
const TURN_EVERY_MS = 20

export class Deadline {
  private turnedAt = performance.now()

  /** `at` is on the `now` clock; `timeoutMs` is the input the message names. */
  constructor(
    private readonly at: number,
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now
  ) {}

  /** A deadline `timeoutMs` from now. */
  static after(timeoutMs: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + timeoutMs, timeoutMs, now)
  }

  /** What is left of the time, in milliseconds; zero once it is up. */
  remainingMs(): number {
    return Math.max(0, this.at - this.now())
  }

  /** Throws a TimeoutError, never retried, once the time is up. */
  check(): void {
    if (this.now() <= this.at) return
    throw new TimeoutError(
      `reading what the model holds took it past its \`timeout\` of ${formatDuration(this.timeoutMs)}. Raise \`timeout\` if the model really is that large`,
      false
    )
  }

  /** Checks, and lets the event loop turn when the reader has held it for a while. */
  async pause(): Promise<void> {
    this.check()
    if (performance.now() - this.turnedAt < TURN_EVERY_MS) return
    await new Promise(resolve => setImmediate(resolve))
    this.turnedAt = performance.now()
    this.check()
  }
}
