// Where a model's bytes are read from: the file on disk, or the body kept in memory as it arrived.
// The readers ask for ranges and never learn which, so a small model costs no second read.

import type { FileHandle } from 'node:fs/promises'

export interface ByteSource {
  readonly size: number
  /** Up to `length` bytes from `offset`; fewer at the end. */
  read(offset: number, length: number): Promise<Buffer>
}

export async function fileSource(file: FileHandle): Promise<ByteSource> {
  const { size } = await file.stat()
  return {
    size,
    async read(offset, length) {
      // Only the bytes read are handed on, so the buffer need not be zeroed first.
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)))
      const { bytesRead } = await file.read(buffer, 0, buffer.length, offset)
      return buffer.subarray(0, bytesRead)
    }
  }
}

/** The chunks a body arrived in, read without joining them: a range inside one chunk is a view. */
export function memorySource(chunks: readonly Buffer[]): ByteSource {
  const starts: number[] = []
  let size = 0
  for (const chunk of chunks) {
    starts.push(size)
    size += chunk.length
  }
  return {
    size,
    read(offset, length) {
      const end = Math.min(size, offset + length)
      const pieces: Buffer[] = []
      for (let index = chunkAt(starts, offset); index < chunks.length; index++) {
        if (starts[index] >= end) break
        const from = Math.max(0, offset - starts[index])
        pieces.push(chunks[index].subarray(from, end - starts[index]))
      }
      return Promise.resolve(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces))
    }
  }
}

/** The index of the chunk that holds `offset`, by binary search over the chunks' starts. */
function chunkAt(starts: readonly number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (starts[middle] <= offset) low = middle
    else high = middle - 1
  }
  return low
}
