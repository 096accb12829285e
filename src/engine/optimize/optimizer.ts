// The optimiser's thread, seen from the main thread: one model at a time goes to it, with what is
// left of its asset's `timeout`; the thread's heap is capped. A model that takes the thread past
// either, or fails, fails alone: the thread is stopped, and the next model starts a new one
// (docs/decisions/0016).

import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ModelError, TimeoutError, type ExplainedError } from '../../errors.js'
import { formatBytes, formatDuration } from '../../quantities.js'
import type { OptimizableKind, OptimizeSettings } from '../../model.js'
import type { Deadline } from '../models/deadline.js'
import type { OptimizeAnswer, OptimizeRequest } from './optimizer-protocol.js'

/** The thread's heap. Geometry and pixels live in typed arrays outside it, bounded by the limits below. */
const THREAD_HEAP_MB = 1024

/**
 * The largest model the optimiser reads: glTF-Transform holds a model whole, with its decoded
 * textures. A larger GLB fails with a message that says so.
 */
const MAX_OPTIMIZED_BYTES = 512 * 1024 * 1024

/** Each request waits for the one before it: the thread works on one model at a time. */
let queue: Promise<unknown> = Promise.resolve()
let sharedThread: OptimizerThread | undefined

/** Whether the optimiser reads a model of this size. */
export function isOptimizable(bytes: number): boolean {
  return bytes <= MAX_OPTIMIZED_BYTES
}

export function tooLargeToOptimize(bytes: number): ModelError {
  return new ModelError(
    `it is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_OPTIMIZED_BYTES)} the optimiser reads. Set \`optimize: false\` to pull it as it is`
  )
}

/**
 * The model optimised on the thread, within what is left of `deadline`. `read` is called only
 * when the thread is free, so that models waiting their turn hold no bytes; what it gives moves
 * to the thread, and the caller reads it no more. A failure names the step that failed.
 */
export function optimizeOnThread(
  read: () => Promise<Uint8Array<ArrayBuffer>>,
  model: { kind: OptimizableKind; settings: OptimizeSettings },
  deadline: Deadline
): Promise<Uint8Array<ArrayBuffer>> {
  const run = queue.then(async () => {
    if (deadline.remainingMs() <= 0) throw waitedTooLong(deadline.timeoutMs)
    const bytes = await read()
    sharedThread ??= new OptimizerThread()
    return sharedThread.optimize(bytes, model, deadline)
  })
  queue = run.catch(() => undefined)
  return run
}

interface Pending {
  id: number
  resolve: (bytes: Uint8Array<ArrayBuffer>) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

class OptimizerThread {
  private worker: Worker | undefined
  private nextId = 1
  private pending: Pending | undefined
  private readonly script = optimizerScript()

  optimize(
    bytes: Uint8Array<ArrayBuffer>,
    { kind, settings }: { kind: OptimizableKind; settings: OptimizeSettings },
    deadline: Deadline
  ): Promise<Uint8Array<ArrayBuffer>> {
    const remainingMs = deadline.remainingMs()
    if (remainingMs <= 0) return Promise.reject(tookTooLong(deadline.timeoutMs))
    const worker = this.started()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.stop(worker, tookTooLong(deadline.timeoutMs)),
        remainingMs
      )
      this.pending = { id, resolve, reject, timer }
      worker.ref()
      worker.postMessage({ id, bytes, kind, settings } satisfies OptimizeRequest, [bytes.buffer])
    })
  }

  private receive(worker: Worker, answer: OptimizeAnswer): void {
    const pending = this.pending
    if (pending?.id !== answer.id) return
    if (answer.kind === 'optimized') {
      this.settle(worker)
      pending.resolve(answer.bytes)
      return
    }
    // The codecs' WebAssembly memory only grows: what a failed model made them take goes with the thread.
    this.stop(worker, new ModelError(`${answer.step}: ${answer.message}`))
  }

  private settle(worker: Worker): Pending | undefined {
    const pending = this.pending
    if (pending) clearTimeout(pending.timer)
    this.pending = undefined
    worker.unref()
    return pending
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB }
    })
    worker.on('message', (answer: OptimizeAnswer) => this.receive(worker, answer))
    worker.on('error', (error: Error & { code?: string }) =>
      this.stopped(worker, threadFailed(error))
    )
    worker.on('exit', code =>
      this.stopped(
        worker,
        new ModelError(`optimising the model: the optimiser's thread stopped (code ${code})`)
      )
    )
    // After the listeners: adding a 'message' listener holds the process open again.
    worker.unref()
    this.worker = worker
    return worker
  }

  private stop(worker: Worker, error: ExplainedError): void {
    this.stopped(worker, error)
    void worker.terminate()
  }

  /** The model the thread had fails with the error; the next model starts a new thread. */
  private stopped(worker: Worker, error: ExplainedError): void {
    if (this.worker !== worker) return
    this.worker = undefined
    this.settle(worker)?.reject(error)
  }
}

/** Its time ran out while other models had the thread. */
function waitedTooLong(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `its \`timeout\` of ${formatDuration(timeoutMs)} ran out while it waited for the optimiser, busy with other models. Raise \`timeout\`, or lower \`concurrency\``,
    false
  )
}

/** Final, not retried: the retry loop keeps a final timeout's own words. */
function tookTooLong(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `optimising the model took it past its \`timeout\` of ${formatDuration(timeoutMs)}. Raise \`timeout\`, or set \`optimize: false\` to pull it as it is`,
    false
  )
}

function threadFailed(error: Error & { code?: string }): ModelError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ModelError(
      `optimising the model: the optimiser ran out of its ${THREAD_HEAP_MB} MB of memory on it. Set \`optimize: false\` to pull it as it is`
    )
  }
  return new ModelError(`optimising the model: the optimiser failed: ${error.message}`)
}

/**
 * Where the thread's script is: bundled on its own beside the action's bundle
 * (dist/optimizer-worker/index.js), as the validator's thread is (see models/validate.ts), or the
 * TypeScript source beside this module when run from src/.
 */
function optimizerScript(): string {
  const folder = path.dirname(fileURLToPath(import.meta.url))
  const bundled = [folder, path.dirname(folder)].map(base =>
    path.join(base, 'optimizer-worker', 'index.js')
  )
  return bundled.find(file => existsSync(file)) ?? path.join(folder, 'optimizer-worker.ts')
}
