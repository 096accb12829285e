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

/**
 * The read buffers of finished readings, lent to the next: as many as readings ever ran at once.
 * A buffer of its own for each file made an unchanged run allocate outside V8's heap as much as it
 * read, which V8 answers with a collection of the whole heap, again and again (record 0012).
 */
const spareBuffers: Buffer[] = []

export interface HashLimits {
  /** Reading stops one byte past this: a longer file is not the one recorded. */
  maxBytes: number
  /** The longest reading may take. */
  timeoutMs: number
  /**
   * Sees every piece read, to check the bytes' format on the way. The piece is lent: its buffer
   * holds the next piece once this returns, so what is kept must be copied.
   */
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
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_PIECE_BYTES)
  let bytes = 0
  try {
    while (bytes <= limits.maxBytes) {
      if (Date.now() > deadline) throw hashTimedOut(limits.timeoutMs)
      const wanted = Math.min(buffer.length, limits.maxBytes + 1 - bytes)
      const { bytesRead } = await file.read(buffer, 0, wanted, null)
      if (bytesRead === 0) break
      const piece = buffer.subarray(0, bytesRead)
      hash.update(piece)
      limits.onChunk?.(piece)
      bytes += bytesRead
    }
    const content = { bytes, sha256: hash.digest('hex') }
    await limits.whenRead?.(file, content)
    return content
  } finally {
    spareBuffers.push(buffer)
    await file.close()
  }
}

function hashTimedOut(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `reading the file on disk took longer than the \`timeout\` of ${formatDuration(timeoutMs)}`,
    false
  )
}
