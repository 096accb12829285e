// A body is handed over chunk by chunk to a function that takes each one at once, not through
// Node's streams: a chunk that passes through a Readable or a Writable on its way to the disk
// outlives V8's young-generation collections, and some 40 MB of them then wait for a full
// collection (docs/decisions/0010-bodies-without-streams.md).

import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'

/**
 * Takes one chunk, and answers when it may have the next: at once (`undefined`), when the promise
 * settles, or never (`'enough'`: the rest of the body is not wanted). The chunk is the taker's to
 * keep: every chunk lies in memory of its own (a socket read, a file read), which no producer
 * reuses.
 */
export type ChunkTaker = (chunk: Buffer) => Promise<void> | 'enough' | undefined

/** A body that can be taken once. */
export interface BodySource {
  /**
   * Hands every chunk to `take`, in order. Resolves when the body has ended or the taker had
   * enough; rejects with what the taker threw, or when the body broke off.
   */
  deliverTo(take: ChunkTaker): Promise<void>
  /** Gives the body up, and the connection it came on. */
  destroy(error?: Error): void
}

/** A body read from a Readable, such as a file in the cache. */
export function readableSource(readable: Readable): BodySource {
  return {
    async deliverTo(take) {
      for await (const chunk of readable) {
        const answer = take(chunk as Buffer)
        if (answer === 'enough') break
        await answer
      }
    },
    destroy(error) {
      readable.destroy(error)
    }
  }
}

/**
 * A response's body as undici delivers it to a DispatchHandler. The connection stays paused until
 * a taker comes, then pauses whenever the taker asks to wait: all the back-pressure a download
 * needs. Pausing is advice undici may not follow: when the server closes the connection, undici
 * delivers what is left, and the end, at once. Such chunks wait in a queue, and the end waits
 * until the taker has had every chunk.
 */
export class ResponseBody implements BodySource {
  private take: ChunkTaker | undefined
  /** Chunks the taker could not have yet: it had not come, or was waiting. */
  private readonly queued: Buffer[] = []
  /** The taker asked to wait, and has not said it can go on. */
  private waiting = false
  /** The handler said the last byte has arrived; the taker may not have had it yet. */
  private complete = false
  private outcome: 'ended' | Error | undefined
  private waiter: { resolve: () => void; reject: (error: Error) => void } | undefined

  constructor(private readonly controller: Dispatcher.DispatchController) {
    controller.pause()
  }

  deliverTo(take: ChunkTaker): Promise<void> {
    if (this.take) return Promise.reject(new Error('a response body can be taken only once'))
    this.take = take
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject }
      this.notify()
      this.flow()
    })
  }

  destroy(error?: Error): void {
    this.stop(error ?? new Error('the body was given up'))
  }

  /** From the handler: the next chunk. */
  received(chunk: Buffer): void {
    if (this.outcome) return
    this.queued.push(chunk)
    this.flow()
  }

  /** From the handler: the last byte has arrived, or the body broke off. */
  finished(outcome: 'ended' | Error): void {
    if (this.outcome) return
    if (outcome !== 'ended') {
      this.settle(outcome)
      return
    }
    this.complete = true
    this.flow()
  }

  /** Hands the queued chunks over while the taker takes them at once, then ends or reads on. */
  private flow(): void {
    while (this.take && !this.waiting && !this.outcome) {
      const chunk = this.queued.shift()
      if (!chunk) break
      this.offer(this.take, chunk)
    }
    if (!this.take || this.waiting || this.outcome) return
    if (this.complete) this.settle('ended')
    else this.controller.resume()
  }

  private offer(take: ChunkTaker, chunk: Buffer): void {
    let answer: ReturnType<ChunkTaker>
    try {
      answer = take(chunk)
    } catch (error) {
      this.stop(error as Error)
      return
    }
    if (answer === 'enough') {
      this.stop('ended')
    } else if (answer) {
      this.waiting = true
      this.controller.pause()
      answer.then(
        () => {
          this.waiting = false
          this.flow()
        },
        (error: unknown) => this.stop(error as Error)
      )
    }
  }

  /** Ends the body before its last byte; the connection goes with it, since the rest is on it. */
  private stop(outcome: 'ended' | Error): void {
    if (this.outcome) return
    this.settle(outcome)
    this.controller.abort(
      outcome === 'ended' ? new Error('the rest of the body was not wanted') : outcome
    )
  }

  private settle(outcome: 'ended' | Error): void {
    this.outcome = outcome
    this.queued.length = 0
    this.notify()
  }

  private notify(): void {
    const waiter = this.waiter
    if (!waiter || !this.outcome) return
    this.waiter = undefined
    if (this.outcome === 'ended') waiter.resolve()
    else waiter.reject(this.outcome)
  }
}
