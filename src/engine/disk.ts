// What is on disk: the size and hash of a file the lockfile or the cache vouches for, read only
// from a regular file inside the workspace, and never for longer or further than the record
// allows, so that a hostile workspace cannot make a run read without end.

import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
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
  /**
   * Reads more of the file, still open, once it has been read to its end and hashed: a zip's
   * directory, say. What it throws, hashFile throws.
   */
  whenRead?: (file: FileHandle, content: Content) => Promise<void>
}

/**
 * The size and SHA-256 of a regular file inside the workspace; undefined when there is none. A file
 * longer than `maxBytes` reads as `maxBytes + 1` bytes. It is read in pieces, so memory stays flat
 * whatever the size; plain reads rather than a stream, which cost a run that checks thousands of
 * unchanged files more than the reading itself.
 */
export async function hashFile(
  folders: WorkspaceFolders,
  filePath: string,
  limits: HashLimits
): Promise<Content | undefined> {
  const file = await folders.openFile(filePath)
  if (!file) return undefined
  const hash = createHash('sha256')
  const deadline = Date.now() + limits.timeoutMs
  let bytes = 0
  try {
    while (bytes <= limits.maxBytes) {
      if (Date.now() > deadline) throw hashTimedOut(limits.timeoutMs)
      // A buffer of its own for each piece: a piece handed on may be kept, as a body's chunks are.
      const piece = Buffer.allocUnsafe(Math.min(READ_PIECE_BYTES, limits.maxBytes + 1 - bytes))
      const { bytesRead } = await file.read(piece, 0, piece.length, null)
      if (bytesRead === 0) break
      hash.update(piece.subarray(0, bytesRead))
      limits.onChunk?.(piece.subarray(0, bytesRead))
      bytes += bytesRead
    }
    const content = { bytes, sha256: hash.digest('hex') }
    await limits.whenRead?.(file, content)
    return content
  } finally {
    await file.close()
  }
}

function hashTimedOut(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `reading the file on disk took longer than the \`timeout\` of ${formatDuration(timeoutMs)}`,
    false
  )
}
