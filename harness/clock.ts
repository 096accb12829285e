// The engine's tests run on this clock: a wait ends as soon as the event loop has turned, and the
// time moves on by what was waited, so that deadlines, retries and back-off behave as they would,
// without costing the seconds. The waits are kept, for tests that check what was waited.

import type { Clock } from '../src/engine/index.js'

export class TestClock implements Clock {
  /** Every wait asked for, in order, in milliseconds. */
  readonly waits: number[] = []
  private skipped = 0

  now(): number {
    return Date.now() + this.skipped
  }

  /** Moves the time on at once, as work that took that long would. */
  jump(milliseconds: number): void {
    this.skipped += milliseconds
  }

  sleep(milliseconds: number): Promise<void> {
    this.waits.push(milliseconds)
    this.skipped += milliseconds
    return new Promise(resolve => setImmediate(resolve))
  }
}
