// A model's bytes as its readers ask for them: ranges of the file on disk or of bytes in memory, or
// the whole file in a buffer of its own, for the validator's thread.

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

/** Bytes already in memory: ranges are views of them, not copies. */
export function memorySource(bytes: Uint8Array<ArrayBuffer>): ByteSource {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    size: buffer.length,
    read: (offset, length) => Promise.resolve(buffer.subarray(offset, offset + length)),
    whole: () => Promise.resolve(new Uint8Array(buffer))
  }
}
