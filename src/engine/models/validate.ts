// The Khronos glTF Validator over a GLB or glTF file, on a thread of its own (validator-worker.ts),
// started by the first file to check. It reads the whole file into memory, so files above
// MAX_VALIDATED_BYTES are not validated, and say so. Its errors fail the asset; its warnings are
// reported. The thread validates one file at a time; a file that takes it past its memory or its
// time fails alone: the thread is stopped, the files sent after it are validated again on a new one.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { ModelError } from '../../errors.js'
import { formatBytes, formatDuration } from '../../quantities.js'
import type { Validation } from '../../model.js'
import { BytesInFlight } from '../concurrency.js'
import type { InspectionTally } from './tally.js'
import type { ValidationAnswer, ValidationReply } from './validator-protocol.js'

const MAX_VALIDATED_BYTES = 32 * 1024 * 1024
/** The thread's heap: the validator needs a few times the largest file it reads, and no more. */
const THREAD_HEAP_MB = 1024
/** Far longer than the validator takes over the largest file it reads (a few seconds). */
const VALIDATION_TIMEOUT_MS = 120_000

/**
 * Files in flight to the thread, by their bytes: many small ones, so that the thread always has
 * the next one while the main thread is busy with transfers, or one large one alone.
 */
const IN_FLIGHT_BYTES = 8 * 1024 * 1024

/** The time during which at least one file was being validated: overlapping files count once. */
class BusyClock {
  private running = 0
  private since = 0

  start(): void {
    if (this.running++ === 0) this.since = performance.now()
  }

  /** The time since the clock started, when the last running file ends; zero before that. */
  stop(): number {
    return --this.running === 0 ? performance.now() - this.since : 0
  }
}

const inFlight = new BytesInFlight(IN_FLIGHT_BYTES)
const busy = new BusyClock()
let sharedThread: ValidatorThread | undefined

/** Whether the validator reads a file of this size; a larger one is not validated, and says so. */
export function isValidated(bytes: number): boolean {
  return bytes <= MAX_VALIDATED_BYTES
}

export const NOT_VALIDATED: Validation = {
  warnings: [],
  skipped: `not validated: larger than the ${formatBytes(MAX_VALIDATED_BYTES)} the glTF Validator reads`
}

/**
 * Validates a file's bytes, which move to the validator's thread: the caller reads them no more.
 * Should the thread be lost for another file's sake, `reread` gives them again.
 */
export async function validateGltf(
  bytes: Uint8Array<ArrayBuffer>,
  format: 'glb' | 'gltf',
  reread: () => Promise<Uint8Array<ArrayBuffer>>,
  tally?: InspectionTally
): Promise<Validation> {
  const size = bytes.byteLength
  try {
    return await validateOnThread(() => Promise.resolve(bytes), format, size, tally)
  } catch (error) {
    if (!(error instanceof ThreadLost)) throw error
    // Claiming all the bytes in flight, the file is validated alone: if it was the one, it fails now.
    return validateOnThread(reread, format, IN_FLIGHT_BYTES, tally)
  }
}

function validateOnThread(
  bytes: () => Promise<Uint8Array<ArrayBuffer>>,
  format: 'glb' | 'gltf',
  claimedBytes: number,
  tally?: InspectionTally
): Promise<Validation> {
  return inFlight.run(claimedBytes, async () => {
    sharedThread ??= new ValidatorThread()
    busy.start()
    try {
      const reply = await sharedThread.validate(format, await bytes())
      if (tally) tally.validated++
      return validationOf(reply)
    } finally {
      const busyMs = busy.stop()
      if (tally) tally.validationMs += busyMs
    }
  })
}

/**
 * The thread stopped before it started this file, for another file's sake: this file is not to
 * blame, and is validated again.
 */
export class ThreadLost extends Error {
  override readonly name = 'ThreadLost'
}

function validationOf(reply: ValidationAnswer): Validation {
  if (reply.kind === 'failed') {
    throw new ModelError(`the Khronos glTF Validator could not read it: ${reply.message}`)
  }
  if (reply.errorCount > 0) {
    throw new ModelError(
      `the Khronos glTF Validator found ${reply.errorCount} error${reply.errorCount === 1 ? '' : 's'}: ${reply.errors.join('; ')}`
    )
  }
  return { warnings: reply.warnings }
}

interface PendingValidation {
  resolve: (answer: ValidationAnswer) => void
  reject: (error: Error) => void
}

interface ThreadLimits {
  timeoutMs: number
  heapMb: number
}

export class ValidatorThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly pending = new Map<number, PendingValidation>()
  /** The file the thread said it started, and the clock on it. */
  private current: { id: number; timer: NodeJS.Timeout } | undefined
  private readonly script = validatorScript()

  constructor(
    private readonly limits: ThreadLimits = {
      timeoutMs: VALIDATION_TIMEOUT_MS,
      heapMb: THREAD_HEAP_MB
    }
  ) {}

  validate(format: 'glb' | 'gltf', bytes: Uint8Array<ArrayBuffer>): Promise<ValidationAnswer> {
    const id = this.nextId++
    const worker = this.started()
    return new Promise<ValidationAnswer>((resolve, reject) => {
      worker.postMessage({ id, format, bytes }, [bytes.buffer])
      this.pending.set(id, { resolve, reject })
      worker.ref()
    })
  }

  private receive(worker: Worker, reply: ValidationReply): void {
    if (reply.kind === 'started') {
      // Each file's time counts from when the thread starts it, not while it waits behind others.
      const timer = setTimeout(
        () => this.stop(worker, tookTooLong(this.limits.timeoutMs)),
        this.limits.timeoutMs
      )
      this.current = { id: reply.id, timer }
      return
    }
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    this.clearCurrent()
    if (this.pending.size === 0) worker.unref()
    pending.resolve(reply)
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb }
    })
    worker.on('message', (reply: ValidationReply) => this.receive(worker, reply))
    worker.on('error', (error: Error & { code?: string }) =>
      this.stopped(worker, threadFailed(error, this.limits.heapMb))
    )
    worker.on('exit', code =>
      this.stopped(worker, new ModelError(`the glTF Validator's thread stopped (code ${code})`))
    )
    // After the listeners: adding a 'message' listener holds the process open again.
    worker.unref()
    this.worker = worker
    return worker
  }

  private stop(worker: Worker, error: ModelError): void {
    this.stopped(worker, error)
    worker.unref()
    void worker.terminate()
  }

  /**
   * The files sent to a thread that is gone fail: the one it had started with the error, the
   * others as lost, to be tried again alone. The next file starts a new thread.
   */
  private stopped(worker: Worker, error: ModelError): void {
    if (this.worker !== worker) return
    this.worker = undefined
    const culprit = this.current?.id
    this.clearCurrent()
    for (const [id, pending] of this.pending) {
      pending.reject(id === culprit ? error : new ThreadLost(error.message))
    }
    this.pending.clear()
  }

  private clearCurrent(): void {
    if (this.current) clearTimeout(this.current.timer)
    this.current = undefined
  }
}

function tookTooLong(timeoutMs: number): ModelError {
  return new ModelError(
    `the Khronos glTF Validator did not finish checking it within ${formatDuration(timeoutMs)}`
  )
}

function threadFailed(error: Error & { code?: string }, heapMb: number): ModelError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ModelError(
      `the Khronos glTF Validator ran out of its ${heapMb} MB of memory checking it`
    )
  }
  return new ModelError(`the Khronos glTF Validator failed: ${error.message}`)
}

/**
 * Where the thread's script is. ncc cannot bundle a worker into the file that starts it, so the
 * thread is bundled on its own beside the action's bundle (dist/validator-worker/index.js), and
 * the command-line program's bundle (dist/cli/index.js) finds it beside its own folder; in a bundle
 * `import.meta.url` is the bundle's own. Run from src/ (the tests, @github/local-action), the
 * thread is the TypeScript source beside this module, which Node 24 runs as it is.
 */
function validatorScript(): string {
  const folder = path.dirname(fileURLToPath(import.meta.url))
  const bundled = [folder, path.dirname(folder)].map(base =>
    path.join(base, 'validator-worker', 'index.js')
  )
  return bundled.find(file => existsSync(file)) ?? path.join(folder, 'validator-worker.ts')
}
