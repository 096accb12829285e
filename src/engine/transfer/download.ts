import { rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { TooLargeError, VerificationError } from '../../errors.js'
import type { AssetFormat } from '../../formats.js'
import { formatBytes } from '../../format.js'
import type { Content } from '../../model.js'
import type { Redactor } from '../../secrets.js'
import { makeFolders } from '../workspace.js'
import { WriterThread } from './file-sink.js'
import { newPartialPath, settled } from './partials.js'
import { SignatureCheck } from './signature.js'

export interface StreamTarget {
  /** The folder nothing may be written outside of, links included. */
  workspace: string
  /** Where the verified file ends up. */
  finalPath: string
  expect?: AssetFormat
  /** What the server promised; the count must match it. */
  expectedBytes?: number
  /** The largest file the user accepts (`max-file-size`). */
  maxFileBytes: number
  /** Keeps the credentials out of what a server sent, when an error quotes it. */
  redactor: Redactor
  /** What the bytes must hash to, when known (a cache copy). */
  expectedSha256?: string
  onProgress?: (bytesSoFar: number) => void
}

/** Started by the first download, so that runs where nothing changed never start it. */
let writerThread: WriterThread | undefined

/**
 * Streams a body into a temporary file beside the destination, hashing and checking it on the
 * way, and renames it into place only when every check passed. On any failure the temporary
 * file is removed, so no partial file is ever left where a user could take it for an asset.
 */
export async function streamToFile(body: Readable, target: StreamTarget): Promise<Content> {
  const folder = path.dirname(target.finalPath)
  await makeFolders(target.workspace, folder)
  const temporaryPath = newPartialPath(folder)
  const signature = new SignatureCheck(target.expect, target.redactor)
  let bytes = 0

  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      try {
        if (bytes > target.maxFileBytes) throw tooLarge(target.maxFileBytes)
        signature.update(chunk)
      } catch (error) {
        callback(error as Error)
        return
      }
      target.onProgress?.(bytes)
      callback(null, chunk)
    }
  })

  try {
    if ((target.expectedBytes ?? 0) > target.maxFileBytes) throw tooLarge(target.maxFileBytes)
    writerThread ??= new WriterThread()
    const sink = writerThread.createSink(temporaryPath)
    await pipeline(body, inspect, sink)
    if (target.expectedBytes !== undefined && bytes !== target.expectedBytes) {
      throw new VerificationError(`the body ended after ${bytes} of ${target.expectedBytes} bytes`)
    }
    if (sink.written?.bytes !== bytes) {
      throw new VerificationError(
        `${sink.written?.bytes ?? 0} of the ${bytes} bytes received reached the disk`
      )
    }
    signature.finish()
    const { sha256 } = sink.written
    if (target.expectedSha256 && sha256 !== target.expectedSha256) {
      throw new VerificationError(
        `the bytes hash to ${sha256}, not the recorded ${target.expectedSha256}`
      )
    }
    await rename(temporaryPath, target.finalPath)
    return { bytes, sha256 }
  } catch (error) {
    body.destroy()
    await unlink(temporaryPath).catch(() => undefined)
    throw error
  } finally {
    settled(temporaryPath)
  }
}

function tooLarge(maxFileBytes: number): TooLargeError {
  return new TooLargeError(
    `the file is larger than \`max-file-size\` (${formatBytes(maxFileBytes)}). Raise \`max-file-size\` if the model really is that large`
  )
}
