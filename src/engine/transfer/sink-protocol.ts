// The messages between the main thread, which receives a download, and the file writer thread,
// which hashes the bytes and writes them to disk. Each file is named by a number the main
// thread chose; a thread serves many files at once and handles their messages in order.

export type SinkCommand =
  | { kind: 'open'; id: number; path: string; ring: SharedArrayBuffer }
  /** The bytes at [start, start + length) of the file's ring come next. */
  | { kind: 'write'; id: number; start: number; length: number }
  | { kind: 'finish'; id: number }
  | { kind: 'abort'; id: number }

export type SinkReply =
  | { kind: 'written'; id: number; bytes: number }
  | { kind: 'finished'; id: number; bytes: number; sha256: string }
  | { kind: 'failed'; id: number; message: string; code?: string }
  | { kind: 'aborted'; id: number }
