// Hashing and writing happen on a thread of their own, while the main thread receives. Done on
// the main thread, SHA-256 and the hand-off of every 64 KiB chunk to libuv's file pool took as
// much CPU as receiving: workload 1 of `npm run bench` (a 512 MiB model) took 1.05 s that way.
//
// Each file has a ring of shared memory: the main thread copies each chunk into it and the thread
// reads it from there. Copying costs little, and leaves the chunk with its producer, which may
// still read its buffer after handing it over (undici does when it pauses for back-pressure): a
// buffer moved to another thread instead would be gone from this one. No buffer is allocated per
// chunk, so memory stays flat. See docs/decisions/0001-writer-thread-and-shared-ring.md.

import { Worker } from 'node:worker_threads'
import type { Content } from '../../model.js'
import { workerScript } from '../worker-script.js'
import type { SinkCommand, SinkReply } from './sink-protocol.js'

/** How far the thread may fall behind one file before the download waits for it. */
const RING_BYTES = 2 * 1024 * 1024

/** A file on disk as the thread hashed it, with its first bytes for its format check. */
export interface HashedFile extends Content {
  head: Buffer
}

interface PendingHash {
  resolve: (hashed: HashedFile) => void
  reject: (error: Error) => void
}

/** Started by the first file written or hashed, so that runs with neither never start it. */
let sharedThread: WriterThread | undefined

export function writerThread(): WriterThread {
  sharedThread ??= new WriterThread()
  return sharedThread
}

export class WriterThread {
  private worker: Worker | undefined
  private nextId = 1
  private readonly sinks = new Map<number, FileSink>()
  private readonly hashes = new Map<number, PendingHash>()
  /** Rings of sinks that are done, for the next ones: a new ring costs its whole size in memory. */
  private readonly spareRings: SharedArrayBuffer[] = []

  constructor(
    private readonly workerFile = workerScript(import.meta.url, 'sink-worker', 'sink-worker.ts')
  ) {}

  /** A stream that writes a new file (which must not exist yet) at `filePath`. */
  createSink(filePath: string): FileSink {
    const id = this.nextId++
    const ring = this.spareRings.pop() ?? new SharedArrayBuffer(RING_BYTES)
    const sink = new FileSink(this, id, ring)
    this.sinks.set(id, sink)
    this.started().ref()
    this.post({ kind: 'open', id, path: filePath, ring })
    return sink
  }

  /**
   * Hashes a file on disk on the thread: the main thread goes on with other files meanwhile. The
   * error of a file that cannot be hashed carries the code the thread gave it (see sink-worker).
   */
  hash(
    filePath: string,
    limits: { maxBytes: number; deadline: number; headBytes: number }
  ): Promise<HashedFile> {
    const id = this.nextId++
    return new Promise<HashedFile>((resolve, reject) => {
      this.hashes.set(id, { resolve, reject })
      this.started().ref()
      this.post({ kind: 'hash', id, path: filePath, ...limits })
    })
  }

  post(command: SinkCommand): void {
    this.started().postMessage(command)
  }

  /**
   * The sink is done with the thread, which reads its ring no more: the ring serves the next file.
   * When no sink is left, the thread no longer keeps the process alive.
   */
  release(id: number): void {
    const sink = this.sinks.get(id)
    if (!sink) return
    this.sinks.delete(id)
    this.spareRings.push(sink.ring.buffer)
    this.unrefWhenIdle()
  }

  private unrefWhenIdle(): void {
    if (this.sinks.size === 0 && this.hashes.size === 0) this.worker?.unref()
  }

  private receive(reply: SinkReply): void {
    const pending = this.hashes.get(reply.id)
    if (!pending) {
      this.sinks.get(reply.id)?.receive(reply)
      return
    }
    this.hashes.delete(reply.id)
    this.unrefWhenIdle()
    if (reply.kind === 'hashed') {
      const head = Buffer.from(reply.head.buffer, reply.head.byteOffset, reply.head.byteLength)
      pending.resolve({ bytes: reply.bytes, sha256: reply.sha256, head })
    } else if (reply.kind === 'failed') {
      pending.reject(Object.assign(new Error(reply.message), { code: reply.code }))
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.workerFile)
    worker.on('message', (reply: SinkReply) => this.receive(reply))
    worker.on('error', (error: Error) => this.stopped(worker, error))
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
    for (const pending of this.hashes.values()) pending.reject(error)
    this.hashes.clear()
  }
}

interface Waiter {
  step: 'room' | 'finish' | 'abort'
  resolve: () => void
  reject: (error: Error) => void
}

/**
 * One file being written by the thread. Its user calls one step at a time: `write` each chunk,
 * waiting when it says so, then `finish`, or `abort` at any point.
 */
export class FileSink {
  readonly ring: Uint8Array<SharedArrayBuffer>
  /** Where the next byte goes in the ring. */
  private writeAt = 0
  /** Bytes in the ring that the thread has not written yet; the rest of the ring is free. */
  private unwritten = 0
  /** The chunk being copied into the ring, and how far. */
  private copying: { chunk: Buffer; copied: number } | undefined
  private waiter: Waiter | undefined
  private written: Content | undefined
  private failure: Error | undefined

  constructor(
    private readonly thread: WriterThread,
    private readonly id: number,
    ring: SharedArrayBuffer
  ) {
    this.ring = new Uint8Array(ring)
  }

  /**
   * Copies the chunk into the ring, or as much of it as fits; then the promise says when the rest
   * is in. The chunk is the caller's again once this returns or the promise settles.
   */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure)
    if (this.copying) return Promise.reject(outOfTurn('write'))
    this.copying = { chunk, copied: 0 }
    this.copyWhatFits()
    return this.copying ? this.wait('room') : undefined
  }

  /** The file's size and hash, once the thread has written and closed it. */
  async finish(): Promise<Content> {
    if (this.failure) throw this.failure
    if (this.copying) throw outOfTurn('finish')
    const finished = this.wait('finish')
    this.thread.post({ kind: 'finish', id: this.id })
    await finished
    return this.written as Content
  }

  /** Waits until the thread has closed and removed the file, so nothing can recreate it later. */
  async abort(): Promise<void> {
    this.copying = undefined
    if (this.written || this.failure) {
      this.thread.release(this.id)
      return
    }
    const aborted = this.wait('abort')
    this.thread.post({ kind: 'abort', id: this.id })
    await aborted
  }

  receive(reply: SinkReply): void {
    switch (reply.kind) {
      case 'written':
        this.unwritten -= reply.bytes
        this.copyWhatFits()
        return
      case 'finished':
        this.written = { bytes: reply.bytes, sha256: reply.sha256 }
        this.thread.release(this.id)
        this.settle('finish')
        return
      case 'failed':
        this.fail(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}))
        return
      case 'aborted':
        this.thread.release(this.id)
        this.settle('abort')
    }
  }

  /** Hands the error to the step that is waiting; with none waiting, the next step fails. */
  fail(error: Error): void {
    this.failure ??= error
    this.copying = undefined
    this.thread.release(this.id)
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.reject(this.failure)
  }

  /** Copies as much of the chunk as the ring has room for; the thread's next answer resumes it. */
  private copyWhatFits(): void {
    const copying = this.copying
    if (!copying) return
    while (copying.copied < copying.chunk.length) {
      const room = Math.min(RING_BYTES - this.unwritten, RING_BYTES - this.writeAt)
      if (room === 0) return
      const length = Math.min(room, copying.chunk.length - copying.copied)
      this.ring.set(copying.chunk.subarray(copying.copied, copying.copied + length), this.writeAt)
      this.thread.post({ kind: 'write', id: this.id, start: this.writeAt, length })
      this.writeAt = (this.writeAt + length) % RING_BYTES
      this.unwritten += length
      copying.copied += length
    }
    this.copying = undefined
    this.settle('room')
  }

  private wait(step: Waiter['step']): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiter = { step, resolve, reject }
    })
  }

  private settle(step: Waiter['step']): void {
    if (this.waiter?.step !== step) return
    const { resolve } = this.waiter
    this.waiter = undefined
    resolve()
  }
}

/** A step taken before the last chunk was all in the ring: a bug in the caller, never the disk's. */
function outOfTurn(step: 'write' | 'finish'): Error {
  return new Error(`the file sink was asked to ${step} before the last chunk was in`)
}
