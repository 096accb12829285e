// A body reaches the disk through one pipeline: undici's response, a tap that counts, hashes and
// checks every chunk, and a temporary file opened exclusively beside the destination, renamed into
// place only when every check passed. On any failure the temporary file is removed, so no partial
// file is ever left where a user could take it for an asset.

import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { unlink } from 'node:fs/promises'
import path from 'node:path'
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { TooLargeError, VerificationError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import { formatBytes } from '../../quantities.js'
import type { Content, Optimization } from '../../model.js'
import type { Redactor } from '../../secrets.js'
import type { ModelInspection } from '../models/inspect.js'
import { replaceFile, type WorkspaceFolders } from '../workspace.js'
import { newPartialPath, settled } from './partials.js'
import { containerCheck, type ContainerCheck } from '../models/container.js'
import { SignatureCheck } from './signature.js'

export interface StreamTarget extends BodyLimits {
  /** The workspace's folders: nothing is written outside them, links included. */
  folders: WorkspaceFolders
  /** Where the verified file ends up. */
  finalPath: string
  /** What the bytes must hash to, when known (a cache copy). */
  expectedSha256?: string
  /** Reads the verified temporary file before it is put in place; what it throws fails the file. */
  inspect?: (temporaryPath: string) => Promise<ModelInspection>
  /**
   * Makes the file to put in place instead of the verified download (an optimised model), in a
   * temporary file of its own; what it throws fails the file, and it removes its own file then.
   */
  derive?: (temporaryPath: string, received: Content) => Promise<DerivedFile>
  /**
   * A second file the body is written to as it passes (the cache's copy), ended with the body.
   * It never fails the download: one that fails, or holds the body back too long, is dropped
   * unfinished.
   */
  copyTo?: SideFile
}

export interface SideFile {
  file: Writable
  /** The longest the body may wait for it, in all, before it is dropped. */
  maxWaitMs: number
}

/** A file made from a download, waiting in its temporary file to be put in place. */
export interface DerivedFile extends PlacedContent {
  path: string
}

/** What a body must be, wherever it goes. */
export interface BodyLimits {
  expect?: FileKind
  /** What the server promised; the count must match it. */
  expectedBytes?: number
  /** The largest file the user accepts (`max-file-size`). */
  maxFileBytes: number
  /** Keeps the credentials out of what a server sent, when an error quotes it. */
  redactor: Redactor
  onProgress?: (bytesSoFar: number) => void
}

/** A file put in place: its size and hash, what inspecting it found, and what it was made from. */
export interface PlacedContent extends Content, ModelInspection {
  optimized?: Optimization
}

export async function streamToFile(body: Readable, target: StreamTarget): Promise<PlacedContent> {
  const folder = path.dirname(target.finalPath)
  const temporaryPath = newPartialPath(folder)
  const copy = target.copyTo && new SideCopy(target.copyTo)
  const tap = new BodyTap(target, copy)
  try {
    await target.folders.make(folder)
    checkDeclaredSize(target)
    await writeNewFile(temporaryPath, body, tap)
    await copy?.end()
    const sha256 = tap.sha256()
    if (target.expectedSha256 && sha256 !== target.expectedSha256) {
      throw new VerificationError(
        `the bytes hash to ${sha256}, not the recorded ${target.expectedSha256}`
      )
    }
    const received = { bytes: tap.bytes, sha256 }
    if (target.derive) return await placeDerived(target.derive, temporaryPath, received, target)
    const inspected = (await target.inspect?.(temporaryPath)) ?? {}
    await replaceFile(temporaryPath, target.finalPath)
    return { ...received, ...inspected }
  } catch (error) {
    abandon(body)
    copy?.abandon()
    await unlink(temporaryPath).catch(() => undefined)
    throw error
  } finally {
    settled(temporaryPath)
  }
}

/** The derived file in place of the download, which is then removed. */
async function placeDerived(
  derive: NonNullable<StreamTarget['derive']>,
  downloadPath: string,
  received: Content,
  target: StreamTarget
): Promise<PlacedContent> {
  const { path: derivedPath, ...placed } = await derive(downloadPath, received)
  try {
    await replaceFile(derivedPath, target.finalPath)
  } catch (error) {
    await unlink(derivedPath).catch(() => undefined)
    throw error
  } finally {
    settled(derivedPath)
  }
  // A leftover is a partial file, which the next run removes.
  await unlink(downloadPath).catch(() => undefined)
  return placed
}

/**
 * How much of a body may wait for the disk. With the stream's default (64 KiB, one socket read)
 * every chunk stops the socket until its write is done; with room for many, reading goes on while
 * the disk writes, and the chunks waiting go down in one `writev`. Design record 0012 has figures.
 */
export const WRITE_BUFFER_BYTES = 4 * 1024 * 1024

/** Chunks smaller than this are gathered into blocks of at least this size before they are written. */
const SMALL_CHUNK_BYTES = 16 * 1024

/**
 * `wx` refuses a path that exists, a link included. The pipeline settles only once the file is
 * closed, so the caller may rename or remove it at once, on Windows too.
 */
function writeNewFile(filePath: string, body: Readable, tap: BodyTap): Promise<void> {
  const file = createWriteStream(filePath, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES })
  return pipeline(body, tap, file)
}

/** The size and hash of a body that passes the same checks as a download, kept nowhere. */
export async function digestBody(body: Readable, limits: BodyLimits): Promise<Content> {
  const tap = new BodyTap(limits)
  try {
    checkDeclaredSize(limits)
    await pipeline(body, tap, discardAll())
  } catch (error) {
    abandon(body)
    throw error
  }
  return { bytes: tap.bytes, sha256: tap.sha256() }
}

/**
 * Gives a body up, and the connection it came on. A body the pipeline never took has no listener
 * yet for the error its destruction raises, which would otherwise end the process.
 */
function abandon(body: Readable): void {
  body.on('error', () => undefined)
  body.destroy()
}

function discardAll(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() })
}

function checkDeclaredSize(limits: BodyLimits): void {
  if ((limits.expectedBytes ?? 0) > limits.maxFileBytes) throw tooLarge(limits.maxFileBytes)
}

/**
 * Counts, hashes and checks each chunk on its way: the size limit, the format's signature, the
 * progress; then hands it to the second file, if any. At the end, the length the server promised
 * and the whole signature.
 */
class BodyTap extends Transform {
  bytes = 0
  private readonly hash = createHash('sha256')
  private readonly signature: SignatureCheck
  private readonly container: ContainerCheck
  private readonly small = new SmallChunks()

  constructor(
    private readonly limits: BodyLimits,
    private readonly copy?: SideCopy
  ) {
    super()
    this.signature = new SignatureCheck(limits.expect, limits.redactor)
    this.container = containerCheck(limits.expect)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.checkChunk(chunk)
    } catch (error) {
      done(error as Error)
      return
    }
    this.passOn(this.small.take(chunk), done)
  }

  override _flush(done: TransformCallback): void {
    try {
      this.checkEnd()
    } catch (error) {
      done(error as Error)
      return
    }
    this.passOn(this.small.rest(), done)
  }

  /** To the second file, if any, then to the first. */
  private passOn(block: Buffer | undefined, done: TransformCallback): void {
    if (!block) done()
    else if (this.copy) this.copy.write(block, () => done(null, block))
    else done(null, block)
  }

  sha256(): string {
    return this.hash.digest('hex')
  }

  private checkChunk(chunk: Buffer): void {
    this.bytes += chunk.length
    if (this.bytes > this.limits.maxFileBytes) throw tooLarge(this.limits.maxFileBytes)
    this.signature.update(chunk)
    // A GLB says how long it is: one longer than the limit is refused now, not after its bytes.
    const declared = this.signature.declaredGlbLength
    if (declared !== undefined && declared > this.limits.maxFileBytes) {
      throw declaredTooLarge(declared, this.limits.maxFileBytes)
    }
    this.container.update(chunk)
    this.hash.update(chunk)
    this.limits.onProgress?.(this.bytes)
  }

  /** Throws when the body was cut short of its Content-Length or is not the format. */
  private checkEnd(): void {
    const expected = this.limits.expectedBytes
    if (expected !== undefined && this.bytes !== expected) {
      throw new VerificationError(`the body ended after ${this.bytes} of ${expected} bytes`)
    }
    this.signature.finish()
    this.container.finish()
  }
}

/**
 * Gathers a body's small chunks into blocks. A server that sends its body a byte to a chunk would
 * otherwise fill a file's buffer with millions of tiny buffers, each one holding on to a socket
 * read: hundreds of megabytes for a 4 MiB buffer.
 */
class SmallChunks {
  private held: Buffer[] = []
  private heldBytes = 0

  /** What to pass on now: a chunk of a block's size as it is, small ones once they make a block. */
  take(chunk: Buffer): Buffer | undefined {
    if (this.heldBytes === 0 && chunk.length >= SMALL_CHUNK_BYTES) return chunk
    this.held.push(chunk)
    this.heldBytes += chunk.length
    return this.heldBytes >= SMALL_CHUNK_BYTES ? this.rest() : undefined
  }

  /** What is held, as one block. */
  rest(): Buffer | undefined {
    if (this.heldBytes === 0) return undefined
    const block = Buffer.concat(this.held, this.heldBytes)
    this.held = []
    this.heldBytes = 0
    return block
  }
}

/**
 * The second file a body is written to. The body waits for it as for its own file, so that
 * neither holds more than its buffer; but a copy that has kept the body waiting longer than its
 * share (a slow or stalled disk), or that fails, is dropped, and the body goes on without it. Its
 * owner then finds it not finished.
 */
class SideCopy {
  private dropped = false
  private waitedMs = 0

  constructor(private readonly side: SideFile) {
    side.file.on('error', () => {
      this.dropped = true
    })
  }

  /** Writes the chunk, and calls `next` once the copy has room for more, or was dropped. */
  write(chunk: Buffer, next: () => void): void {
    const { file } = this.side
    if (this.dropped || file.write(chunk)) {
      next()
      return
    }
    const remainingMs = this.side.maxWaitMs - this.waitedMs
    if (remainingMs <= 0) {
      this.abandon()
      next()
      return
    }
    const started = Date.now()
    const resume = (): void => {
      clearTimeout(timer)
      file.off('drain', resume)
      file.off('close', resume)
      this.waitedMs += Date.now() - started
      next()
    }
    const timer = setTimeout(() => {
      this.abandon()
      resume()
    }, remainingMs)
    file.on('drain', resume)
    file.on('close', resume)
  }

  /** Ends the copy, and waits for what it holds to be written, within the rest of its time. */
  async end(): Promise<void> {
    if (this.dropped) return
    this.side.file.end()
    const rest = Math.max(0, this.side.maxWaitMs - this.waitedMs)
    if (!(await closedWithin(this.side.file, rest))) this.abandon()
  }

  abandon(): void {
    this.dropped = true
    this.side.file.destroy()
  }
}

/** Whether the stream closes, with or without an error, within this time. */
export async function closedWithin(stream: Writable, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>(resolve => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const closed = finished(stream).then(
    () => true as const,
    () => true as const
  )
  try {
    return await Promise.race([closed, late])
  } finally {
    clearTimeout(timer)
  }
}

function declaredTooLarge(declared: number, maxFileBytes: number): TooLargeError {
  return new TooLargeError(
    `its GLB header declares ${formatBytes(declared)}, more than \`max-file-size\` (${formatBytes(maxFileBytes)}): refused as soon as its 12-byte header arrived. Raise \`max-file-size\` if the model really is that large`
  )
}

function tooLarge(maxFileBytes: number): TooLargeError {
  return new TooLargeError(
    `the file is larger than \`max-file-size\` (${formatBytes(maxFileBytes)}). Raise \`max-file-size\` if the model really is that large`
  )
}
