// The messages between the main thread, which receives a download, and the file writer thread,
// which hashes the bytes and writes them to disk, and hashes files already on disk. Each file is
// named by a number the main thread chose; a thread serves many files at once and handles their
// messages in order.

export type SinkCommand =
  | { kind: 'open'; id: number; path: string; ring: SharedArrayBuffer }
  /** The bytes at [start, start + length) of the file's ring come next. */
  | { kind: 'write'; id: number; start: number; length: number }
  | { kind: 'finish'; id: number }
  | { kind: 'abort'; id: number }
  /**
   * Hash a file on disk, reading no more than `maxBytes + 1` bytes and not past `deadline`. The
   * last step of the path must not be a link, and the file must be a regular file.
   */
  | {
      kind: 'hash'
      id: number
      path: string
      maxBytes: number
      deadline: number
      /** How much of the file's start to return. */
      headBytes: number
    }

export type SinkReply =
  | { kind: 'written'; id: number; bytes: number }
  | { kind: 'finished'; id: number; bytes: number; sha256: string }
  | { kind: 'failed'; id: number; message: string; code?: string }
  | { kind: 'aborted'; id: number }
  /** `head` holds the file's first bytes, for the main thread to check its format by. */
  | { kind: 'hashed'; id: number; bytes: number; sha256: string; head: Uint8Array }
