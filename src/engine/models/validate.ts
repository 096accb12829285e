// The Khronos glTF Validator over a GLB or glTF file, on a thread of its own (validator-worker.ts),
// started by the first file to check. It reads the whole file into memory, so files above
// MAX_VALIDATED_BYTES are not validated, and say so. Its errors fail the asset; its warnings are
// reported. A file that takes the thread past its memory or its time fails alone: the thread is
// stopped, and the next file starts a new one.

import { Worker } from 'node:worker_threads'
import { ModelError } from '../../errors.js'
import { formatBytes, formatDuration } from '../../format.js'
import type { Validation } from '../../model.js'
import { ByteBudget } from '../concurrency.js'
import { workerScript } from '../worker-script.js'
import type { ByteSource } from './byte-source.js'
import type { InspectionTally } from './tally.js'
import type { ValidationReply } from './validator-protocol.js'

const MAX_VALIDATED_BYTES = 32 * 1024 * 1024
/** Read in pieces, so that a file is in memory once, not twice, on its way to the thread. */
const READ_PIECE_BYTES = 1024 * 1024
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

const inFlight = new ByteBudget(IN_FLIGHT_BYTES)
const busy = new BusyClock()
let sharedThread: ValidatorThread | undefined

export async function validateGltf(
  source: ByteSource,
  format: 'glb' | 'gltf',
  tally?: InspectionTally
): Promise<Validation> {
  if (source.size > MAX_VALIDATED_BYTES) {
    return {
      warnings: [],
      skipped: `not validated: larger than the ${formatBytes(MAX_VALIDATED_BYTES)} the glTF Validator reads`
    }
  }
  return inFlight.run(source.size, async () => {
    sharedThread ??= new ValidatorThread()
    busy.start()
    try {
      const reply = await sharedThread.validate(format, await ownedBytes(source))
      if (tally) tally.validated++
      return validationOf(reply)
    } finally {
      const busyMs = busy.stop()
      if (tally) tally.validationMs += busyMs
    }
  })
}

/** The file's bytes in a buffer of their own, which moves to the thread without a copy. */
async function ownedBytes(source: ByteSource): Promise<Uint8Array<ArrayBuffer>> {
  const owned = new Uint8Array(source.size)
  for (let offset = 0; offset < source.size;) {
    const piece = await source.read(offset, READ_PIECE_BYTES)
    if (piece.length === 0) throw new ModelError('it grew shorter while it was read')
    owned.set(piece, offset)
    offset += piece.length
  }
  return owned
}

function validationOf(reply: ValidationReply): Validation {
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
  resolve: (reply: ValidationReply) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

interface ThreadLimits {
  timeoutMs: number
  heapMb: number
}

export class ValidatorThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly pending = new Map<number, PendingValidation>()
  private readonly script = workerScript(import.meta.url, 'validator-worker', 'validator-worker.ts')

  constructor(
    private readonly limits: ThreadLimits = {
      timeoutMs: VALIDATION_TIMEOUT_MS,
      heapMb: THREAD_HEAP_MB
    }
  ) {}

  validate(format: 'glb' | 'gltf', bytes: Uint8Array<ArrayBuffer>): Promise<ValidationReply> {
    const id = this.nextId++
    const worker = this.started()
    return new Promise<ValidationReply>((resolve, reject) => {
      const timer = setTimeout(
        () => this.stop(worker, tookTooLong(this.limits.timeoutMs)),
        this.limits.timeoutMs
      )
      this.pending.set(id, { resolve, reject, timer })
      worker.ref()
      worker.postMessage({ id, format, bytes }, [bytes.buffer])
    })
  }

  private receive(reply: ValidationReply): void {
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    clearTimeout(pending.timer)
    if (this.pending.size === 0) this.worker?.unref()
    pending.resolve(reply)
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb }
    })
    worker.on('message', (reply: ValidationReply) => this.receive(reply))
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
    void worker.terminate()
  }

  /** The files waiting on a thread that is gone fail; the next file starts a new thread. */
  private stopped(worker: Worker, error: ModelError): void {
    if (this.worker !== worker) return
    this.worker = undefined
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer)
      pending.reject(error)
    }
    this.pending.clear()
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
