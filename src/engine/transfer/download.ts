import { createHash } from 'node:crypto'
import { unlink } from 'node:fs/promises'
import path from 'node:path'
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { TooLargeError, VerificationError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import { formatBytes } from '../../format.js'
import type { Content } from '../../model.js'
import type { Redactor } from '../../secrets.js'
import type { ModelInspection } from '../models/inspect.js'
import { makeFolders, replaceFile } from '../workspace.js'
import { writerThread } from './file-sink.js'
import { newPartialPath, settled } from './partials.js'
import { SignatureCheck } from './signature.js'

export interface StreamTarget {
  /** The folder nothing may be written outside of, links included. */
  workspace: string
  /** Folders made and checked earlier in the run, which are not checked again. */
  madeFolders?: Set<string>
  /** Where the verified file ends up. */
  finalPath: string
  expect?: FileKind
  /** What the server promised; the count must match it. */
  expectedBytes?: number
  /** The largest file the user accepts (`max-file-size`). */
  maxFileBytes: number
  /** Keeps the credentials out of what a server sent, when an error quotes it. */
  redactor: Redactor
  /** What the bytes must hash to, when known (a cache copy). */
  expectedSha256?: string
  onProgress?: (bytesSoFar: number) => void
  inspector?: BodyInspector
}

/** Sees the body on its way to disk, then reads what it holds before the file is put in place. */
interface BodyInspector {
  see(chunk: Buffer): void
  /** Reads the verified temporary file, or what it kept of it; what it throws fails the file. */
  inspect(temporaryPath: string): Promise<ModelInspection>
}

/** A file put in place: its size and hash, and what inspecting it found. */
export interface PlacedContent extends Content, ModelInspection {}

/** What a body must be, wherever it goes. */
export type BodyLimits = Pick<
  StreamTarget,
  'expect' | 'expectedBytes' | 'maxFileBytes' | 'redactor' | 'onProgress'
>

/**
 * Streams a body into a temporary file beside the destination, hashing and checking it on the
 * way, and renames it into place only when every check passed. On any failure the temporary
 * file is removed, so no partial file is ever left where a user could take it for an asset.
 */
export async function streamToFile(body: Readable, target: StreamTarget): Promise<PlacedContent> {
  const folder = path.dirname(target.finalPath)
  await makeFolders(target.workspace, folder, target.madeFolders)
  const temporaryPath = newPartialPath(folder)
  const inspection = new Inspection(target, target.inspector)
  try {
    checkDeclaredSize(target)
    const sink = writerThread().createSink(temporaryPath)
    await pipeline(body, inspection, sink)
    if (sink.written?.bytes !== inspection.bytes) {
      throw new VerificationError(
        `${sink.written?.bytes ?? 0} of the ${inspection.bytes} bytes received reached the disk`
      )
    }
    inspection.finish()
    const { sha256 } = sink.written
    if (target.expectedSha256 && sha256 !== target.expectedSha256) {
      throw new VerificationError(
        `the bytes hash to ${sha256}, not the recorded ${target.expectedSha256}`
      )
    }
    const inspected = (await target.inspector?.inspect(temporaryPath)) ?? {}
    await replaceFile(temporaryPath, target.finalPath)
    return { bytes: inspection.bytes, sha256, ...inspected }
  } catch (error) {
    body.destroy()
    await unlink(temporaryPath).catch(() => undefined)
    throw error
  } finally {
    settled(temporaryPath)
  }
}

/** The size and hash of a body that passes the same checks as a download, kept nowhere. */
export async function digestBody(body: Readable, limits: BodyLimits): Promise<Content> {
  const inspection = new Inspection(limits)
  const hash = createHash('sha256')
  const digest = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      callback()
    }
  })
  try {
    checkDeclaredSize(limits)
    await pipeline(body, inspection, digest)
    inspection.finish()
    return { bytes: inspection.bytes, sha256: hash.digest('hex') }
  } catch (error) {
    body.destroy()
    throw error
  }
}

function checkDeclaredSize(limits: BodyLimits): void {
  if ((limits.expectedBytes ?? 0) > limits.maxFileBytes) throw tooLarge(limits.maxFileBytes)
}

/** Counts and checks each chunk on its way: the size limit, the format's signature, progress. */
class Inspection extends Transform {
  bytes = 0
  private readonly signature: SignatureCheck

  constructor(
    private readonly limits: BodyLimits,
    private readonly inspector?: BodyInspector
  ) {
    super()
    this.signature = new SignatureCheck(limits.expect, limits.redactor)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    try {
      if (this.bytes > this.limits.maxFileBytes) throw tooLarge(this.limits.maxFileBytes)
      this.signature.update(chunk)
      this.inspector?.see(chunk)
    } catch (error) {
      callback(error as Error)
      return
    }
    this.limits.onProgress?.(this.bytes)
    callback(null, chunk)
  }

  /** Throws when the body was cut short of its Content-Length or is not the format. */
  finish(): void {
    const expected = this.limits.expectedBytes
    if (expected !== undefined && this.bytes !== expected) {
      throw new VerificationError(`the body ended after ${this.bytes} of ${expected} bytes`)
    }
    this.signature.finish()
  }
}

function tooLarge(maxFileBytes: number): TooLargeError {
  return new TooLargeError(
    `the file is larger than \`max-file-size\` (${formatBytes(maxFileBytes)}). Raise \`max-file-size\` if the model really is that large`
  )
}
