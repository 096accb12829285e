// Where a model's bytes are read from: the file on disk, or the body kept in memory as it arrived.
// The readers ask for ranges and never learn which, so a small model costs no second read.

import type { FileHandle } from 'node:fs/promises'

export interface ByteSource {
  readonly size: number
  /** Up to `length` bytes from `offset`; fewer at the end. Both are counts: never negative. */
  read(offset: number, length: number): Promise<Buffer>
  /** Every byte, in a buffer of its own that the caller may move to another thread. */
  whole(): Promise<Uint8Array<ArrayBuffer>>
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
    },
    async whole() {
      const owned = new Uint8Array(size)
      for (let offset = 0; offset < size;) {
        const { bytesRead } = await file.read(owned, offset, size - offset, offset)
        if (bytesRead === 0) throw new Error('the file grew shorter while it was read')
        offset += bytesRead
      }
      return owned
    }
  }
}

export function memorySource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      return Promise.resolve(bytes.subarray(offset, offset + length))
    },
    whole() {
      return Promise.resolve(new Uint8Array(bytes))
    }
  }
}
