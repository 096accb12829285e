import { createHash } from 'node:crypto'
import { unlink } from 'node:fs/promises'
import path from 'node:path'
import { TooLargeError, VerificationError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import { formatBytes } from '../../format.js'
import type { Content } from '../../model.js'
import type { Redactor } from '../../secrets.js'
import type { ModelInspection } from '../models/inspect.js'
import { makeFolders, replaceFile } from '../workspace.js'
import type { BodySource } from './body-source.js'
import { writerThread, type FileSink } from './file-sink.js'
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
  /** `expectedBytes` is the length the server announced, if it did. */
  see(chunk: Buffer, expectedBytes?: number): void
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
export async function streamToFile(body: BodySource, target: StreamTarget): Promise<PlacedContent> {
  const folder = path.dirname(target.finalPath)
  const temporaryPath = newPartialPath(folder)
  const inspection = new Inspection(target, target.inspector)
  let sink: FileSink | undefined
  try {
    await makeFolders(target.workspace, folder, target.madeFolders)
    checkDeclaredSize(target)
    const fileSink = writerThread().createSink(temporaryPath)
    sink = fileSink
    await body.deliverTo(chunk => {
      inspection.take(chunk)
      return fileSink.write(chunk)
    })
    const written = await fileSink.finish()
    if (written.bytes !== inspection.bytes) {
      throw new VerificationError(
        `${written.bytes} of the ${inspection.bytes} bytes received reached the disk`
      )
    }
    inspection.finish()
    const { sha256 } = written
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
    // The thread must have closed and removed its file first, or it could recreate it later.
    await sink?.abort().catch(() => undefined)
    await unlink(temporaryPath).catch(() => undefined)
    throw error
  } finally {
    settled(temporaryPath)
  }
}

/** The size and hash of a body that passes the same checks as a download, kept nowhere. */
export async function digestBody(body: BodySource, limits: BodyLimits): Promise<Content> {
  const inspection = new Inspection(limits)
  const hash = createHash('sha256')
  try {
    checkDeclaredSize(limits)
    await body.deliverTo(chunk => {
      inspection.take(chunk)
      hash.update(chunk)
      return undefined
    })
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
class Inspection {
  bytes = 0
  private readonly signature: SignatureCheck

  constructor(
    private readonly limits: BodyLimits,
    private readonly inspector?: BodyInspector
  ) {
    this.signature = new SignatureCheck(limits.expect, limits.redactor)
  }

  /** Throws when the chunk breaks a limit or the format. */
  take(chunk: Buffer): void {
    this.bytes += chunk.length
    if (this.bytes > this.limits.maxFileBytes) throw tooLarge(this.limits.maxFileBytes)
    this.signature.update(chunk)
    this.inspector?.see(chunk, this.limits.expectedBytes)
    this.limits.onProgress?.(this.bytes)
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
