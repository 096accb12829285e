// What is on disk: the size and hash of a file the lockfile or the cache vouches for, read only
// from a regular file inside the workspace, and never for longer or further than the record
// allows, so that a hostile workspace cannot make a run read without end.

import { createHash } from 'node:crypto'
import { TimeoutError } from '../errors.js'
import type { Content } from '../model.js'
import { formatDuration } from '../quantities.js'
import type { WorkspaceFolders } from './workspace.js'

const READ_PIECE_BYTES = 1024 * 1024

export interface HashLimits {
  /** Reading stops one byte past this: a longer file is not the one recorded. */
  maxBytes: number
  /** The longest reading may take. */
  timeoutMs: number
  /** Sees every piece read, to check the bytes' format on the way; each piece is its to keep. */
  onChunk?: (chunk: Buffer) => void
}

/**
 * The size and SHA-256 of a regular file inside the workspace; undefined when there is none. A file
 * longer than `maxBytes` reads as `maxBytes + 1` bytes. It is read as a stream of pieces, so memory
 * stays flat whatever the size.
 */
export async function hashFile(
  folders: WorkspaceFolders,
  filePath: string,
  limits: HashLimits
): Promise<Content | undefined> {
  const file = await folders.openFile(filePath)
  if (!file) return undefined
  const hash = createHash('sha256')
  let bytes = 0
  // `end` counts inclusively: the stream stops one byte past what the record allows.
  const pieces = file.createReadStream({
    end: limits.maxBytes,
    highWaterMark: READ_PIECE_BYTES,
    signal: AbortSignal.timeout(limits.timeoutMs)
  })
  try {
    for await (const piece of pieces as AsyncIterable<Buffer>) {
      hash.update(piece)
      limits.onChunk?.(piece)
      bytes += piece.length
    }
  } catch (error) {
    if ((error as { name?: unknown }).name === 'AbortError') throw hashTimedOut(limits.timeoutMs)
    throw error
  }
  return { bytes, sha256: hash.digest('hex') }
}

function hashTimedOut(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `reading the file on disk took longer than the \`timeout\` of ${formatDuration(timeoutMs)}`,
    false
  )
}
