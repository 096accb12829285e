import { createHash } from 'node:crypto'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { VerificationError } from '../errors.js'
import type { AssetFormat } from '../formats.js'
import { WriterThread } from './file-sink.js'
import { newPartialPath, settled } from './partials.js'
import { SignatureCheck } from './signature.js'

export interface WrittenFile {
  bytes: number
  sha256: string
}

export interface StreamTarget {
  /** Where the verified file ends up. */
  finalPath: string
  expect?: AssetFormat
  /** What the server promised; the count must match it. */
  expectedBytes?: number
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
export async function streamToFile(body: Readable, target: StreamTarget): Promise<WrittenFile> {
  const folder = path.dirname(target.finalPath)
  await mkdir(folder, { recursive: true })
  const temporaryPath = newPartialPath(folder)
  const signature = new SignatureCheck(target.expect)
  let bytes = 0

  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      signature.update(chunk)
      target.onProgress?.(bytes)
      callback(null, chunk)
    }
  })

  try {
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

const HASH_BUFFER_BYTES = 1024 * 1024

/**
 * The size and SHA-256 of a file on disk; undefined when there is no such file. One buffer is
 * reused for every read, so hashing a large file leaves no garbage and memory stays flat.
 */
export async function hashFile(filePath: string): Promise<WrittenFile | undefined> {
  const file = await open(filePath, 'r').catch(() => undefined)
  if (!file) return undefined
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(HASH_BUFFER_BYTES)
  let bytes = 0
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
      bytes += bytesRead
    }
  } catch {
    return undefined
  } finally {
    await file.close()
  }
  return { bytes, sha256: hash.digest('hex') }
}
