// What is on disk: the size and hash of a file the lockfile or the cache vouches for, read only
// from a regular file inside the workspace, and never for longer or further than the record
// allows, so that a hostile workspace cannot make a run read without end.

import { createHash } from 'node:crypto'
import { TimeoutError } from '../errors.js'
import { formatDuration } from '../format.js'
import type { Content } from '../model.js'
import { writerThread, type HashedFile } from './transfer/file-sink.js'
import { HEAD_BYTES } from './transfer/signature.js'
import { checkBeforeOpening, explainOpenError, openRegularFile } from './workspace.js'

const HASH_BUFFER_BYTES = 1024 * 1024

export interface HashLimits {
  /** Reading stops one byte past this: a longer file is not the one recorded. */
  maxBytes: number
  /** When reading must have ended (epoch milliseconds), and the `timeout` that set it. */
  deadline: number
  timeoutMs: number
  /** Sees every chunk read, to check the bytes' format on the way. */
  onChunk?: (chunk: Buffer) => void
  /** Folders already found real in this stage (see openRegularFile). */
  checkedFolders?: Set<string>
}

/**
 * The size and SHA-256 of a regular file inside the workspace; undefined when there is none. A file
 * longer than `maxBytes` reads as `maxBytes + 1` bytes. One buffer serves every read, so memory
 * stays flat whatever the size.
 */
export async function hashFile(
  workspace: string,
  filePath: string,
  limits: HashLimits
): Promise<Content | undefined> {
  const file = await openRegularFile(workspace, filePath, limits.checkedFolders)
  if (!file) return undefined
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(HASH_BUFFER_BYTES)
  let bytes = 0
  try {
    while (bytes <= limits.maxBytes) {
      if (Date.now() > limits.deadline) throw hashTimedOut(limits.timeoutMs)
      const wanted = Math.min(buffer.length, limits.maxBytes + 1 - bytes)
      const { bytesRead } = await file.read(buffer, 0, wanted, null)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      hash.update(chunk)
      limits.onChunk?.(chunk)
      bytes += bytesRead
    }
  } finally {
    await file.close()
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** Codes of a file the writer thread looked at and could not hash; any other error is the thread's. */
const FILE_CODES = new Set(['ENOENT', 'ELOOP', 'EMLINK', 'ENOTREG', 'ETIME', 'EACCES', 'EISDIR'])

/**
 * Like hashFile, on the writer thread, which also returns the file's first bytes for its format
 * check: thousands of files on disk are hashed beside the main thread's work. A thread that cannot
 * start or dies leaves the work to hashFile.
 */
export async function hashOnThread(
  workspace: string,
  filePath: string,
  limits: Omit<HashLimits, 'onChunk'> & { headBytes: number }
): Promise<HashedFile | undefined> {
  if (!(await checkBeforeOpening(workspace, filePath, limits.checkedFolders))) return undefined
  try {
    return await writerThread().hash(filePath, limits)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ETIME') throw hashTimedOut(limits.timeoutMs)
    if (typeof code !== 'string' || !FILE_CODES.has(code))
      return hashWithHead(workspace, filePath, limits)
    const explained = explainOpenError(workspace, filePath, error)
    if (explained) throw explained
    return undefined
  }
}

/** hashFile, keeping the first bytes as the thread does. */
async function hashWithHead(
  workspace: string,
  filePath: string,
  limits: Omit<HashLimits, 'onChunk'>
): Promise<HashedFile | undefined> {
  let head = Buffer.alloc(0)
  const onChunk = (chunk: Buffer): void => {
    if (head.length < HEAD_BYTES)
      head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)])
  }
  const content = await hashFile(workspace, filePath, { ...limits, onChunk })
  return content && { ...content, head }
}

function hashTimedOut(timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `reading the file on disk took longer than the \`timeout\` of ${formatDuration(timeoutMs)}`,
    false
  )
}
