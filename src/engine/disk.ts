// What is on disk: the size and hash of a file the lockfile or the cache vouches for.

import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import type { Content } from '../model.js'

const HASH_BUFFER_BYTES = 1024 * 1024

/**
 * The size and SHA-256 of a file on disk; undefined when there is no such file. One buffer is
 * reused for every read, so hashing a large file leaves no garbage and memory stays flat.
 */
export async function hashFile(filePath: string): Promise<Content | undefined> {
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
