import path from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { isMarkedAsUntransferable, Worker } from 'node:worker_threads'
import type { SinkCommand, SinkReply } from './sink-protocol.js'
import type { WrittenFile } from './download.js'

/**
 * Hashing and writing happen on a thread of their own, while the main thread receives. Done on
 * the main thread, SHA-256 and the hand-off of every 64 KiB chunk to libuv's file pool took as
 * much CPU as receiving: workload 1 of `npm run bench` (a 512 MiB model) took 1.05 s that way and
 * 0.82 s this way. Chunks are moved to the thread, not copied, whenever one owns its whole buffer.
 *
 * The thread's code is bundled on its own (dist/sink-worker/index.js): ncc cannot bundle a
 * worker into the main file, so the path is built at run time, beside the bundle.
 */
const WORKER_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'sink-worker',
  'index.js'
)

/** How far the thread may fall behind one file before the download waits for it. */
const MAX_IN_FLIGHT_BYTES = 2 * 1024 * 1024

export class WriterThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly sinks = new Map<number, FileSink>()

  constructor(private readonly workerFile = WORKER_FILE) {}

  /**
   * A stream that writes a new file (which must not exist yet) at `filePath`. Chunks written to
   * it are given away: a chunk that owns its buffer is moved to the thread and reads as empty
   * afterwards, so whatever else needs the bytes must look at them before the sink does.
   */
  createSink(filePath: string): FileSink {
    const id = this.nextId++
    const sink = new FileSink(this, id)
    this.sinks.set(id, sink)
    this.started().ref()
    this.post({ kind: 'open', id, path: filePath })
    return sink
  }

  post(command: SinkCommand, transfer: ArrayBuffer[] = []): void {
    this.started().postMessage(command, transfer)
  }

  /** The sink is done with the thread; when none is left, the thread no longer keeps the process alive. */
  release(id: number): void {
    this.sinks.delete(id)
    if (this.sinks.size === 0) this.worker?.unref()
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.workerFile)
    worker.on('message', (reply: SinkReply) => this.sinks.get(reply.id)?.receive(reply))
    worker.on('error', error => this.stopped(worker, error))
    worker.on('exit', code =>
      this.stopped(worker, new Error(`the file writer thread exited (code ${code})`))
    )
    // After the listeners: adding a 'message' listener holds the process open again.
    worker.unref()
    this.worker = worker
    return worker
  }

  /** A thread that died fails its files; the next file starts a new one. */
  private stopped(worker: Worker, error: Error): void {
    if (this.worker !== worker) return
    this.worker = undefined
    for (const sink of this.sinks.values()) sink.fail(error)
    this.sinks.clear()
  }
}

type Callback = (error?: Error | null) => void

/** One file being written by the thread. `written` holds its size and hash once it finished. */
export class FileSink extends Writable {
  written: WrittenFile | undefined
  private inFlightBytes = 0
  private waitingForRoom: Callback | undefined
  private waitingForFinish: Callback | undefined
  private waitingForAbort: Callback | undefined
  private failure: Error | undefined

  constructor(
    private readonly thread: WriterThread,
    private readonly id: number
  ) {
    super()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: Callback): void {
    if (this.failure) return callback(this.failure)
    const { view, transfer } = movable(chunk)
    this.inFlightBytes += view.length
    this.thread.post({ kind: 'write', id: this.id, chunk: view }, transfer)
    if (this.inFlightBytes <= MAX_IN_FLIGHT_BYTES) callback()
    else this.waitingForRoom = callback
  }

  override _final(callback: Callback): void {
    if (this.failure) return callback(this.failure)
    this.waitingForFinish = callback
    this.thread.post({ kind: 'finish', id: this.id })
  }

  /** Waits until the thread has closed and removed the file, so nothing can recreate it later. */
  override _destroy(error: Error | null, callback: Callback): void {
    if (this.written || this.failure) {
      this.thread.release(this.id)
      return callback(error)
    }
    this.waitingForAbort = () => callback(error)
    this.thread.post({ kind: 'abort', id: this.id })
  }

  receive(reply: SinkReply): void {
    switch (reply.kind) {
      case 'written':
        this.inFlightBytes -= reply.bytes
        if (this.inFlightBytes <= MAX_IN_FLIGHT_BYTES) this.takeCallback('waitingForRoom')?.()
        return
      case 'finished':
        this.written = { bytes: reply.bytes, sha256: reply.sha256 }
        this.thread.release(this.id)
        this.takeCallback('waitingForFinish')?.()
        return
      case 'failed':
        this.fail(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}))
        return
      case 'aborted':
        this.thread.release(this.id)
        this.takeCallback('waitingForAbort')?.()
    }
  }

  /** Hands the error to whichever step is waiting; a sink with nothing pending fails its next step. */
  fail(error: Error): void {
    this.failure ??= error
    this.thread.release(this.id)
    const pending =
      this.takeCallback('waitingForRoom') ??
      this.takeCallback('waitingForFinish') ??
      this.takeCallback('waitingForAbort')
    if (pending) pending(this.failure)
    else if (!this.destroyed) this.destroy(this.failure)
  }

  private takeCallback(
    name: 'waitingForRoom' | 'waitingForFinish' | 'waitingForAbort'
  ): Callback | undefined {
    const callback = this[name]
    this[name] = undefined
    return callback
  }
}

/**
 * A chunk that owns its whole buffer is moved to the thread; one that shares a buffer (Node's
 * pool, or a body that began in the same read as the headers) is copied.
 */
function movable(chunk: Buffer): { view: Uint8Array<ArrayBuffer>; transfer: ArrayBuffer[] } {
  const buffer = chunk.buffer
  const ownsWholeBuffer =
    buffer instanceof ArrayBuffer &&
    chunk.byteOffset === 0 &&
    chunk.byteLength === buffer.byteLength &&
    !isMarkedAsUntransferable(buffer)
  if (ownsWholeBuffer) {
    return { view: new Uint8Array(buffer), transfer: [buffer] }
  }
  const copy = new Uint8Array(chunk)
  return { view: copy, transfer: [copy.buffer] }
}
