// The file writer thread: reads each chunk from the file's ring of shared memory, hashes it and
// writes it with a blocking write, which here blocks nobody. It also hashes files already on disk,
// with blocking reads, so that checking thousands of unchanged files runs beside the main thread.
// Bundled on its own as dist/sink-worker/index.js; see file-sink.ts for why.

import { createHash, type Hash } from 'node:crypto'
import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { parentPort, type MessagePort } from 'node:worker_threads'
import type { SinkCommand, SinkReply } from './sink-protocol.js'

interface OpenFile {
  path: string
  ring: Uint8Array
  descriptor: number
  hash: Hash
  bytes: number
}

const files = new Map<number, OpenFile>()

if (parentPort) serve(parentPort)

function serve(port: MessagePort): void {
  port.on('message', (command: SinkCommand) => {
    try {
      const reply = handle(command)
      if (reply) port.postMessage(reply)
    } catch (error) {
      if (command.kind !== 'hash') closeAndRemove(command.id)
      port.postMessage(failure(command.id, error))
    }
  })
}

function handle(command: SinkCommand): SinkReply | undefined {
  switch (command.kind) {
    case 'open':
      files.set(command.id, {
        path: command.path,
        ring: new Uint8Array(command.ring),
        descriptor: openSync(command.path, 'wx'),
        hash: createHash('sha256'),
        bytes: 0
      })
      return undefined
    case 'write':
      return write(command.id, command.start, command.length)
    case 'finish':
      return finish(command.id)
    case 'abort':
      closeAndRemove(command.id)
      return { kind: 'aborted', id: command.id }
    case 'hash':
      return hashOnDisk(command)
  }
}

const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024)
/** Not following a link in the last step, and not waiting on a pipe for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** Errors carry a code the main thread turns into its own message: ENOENT, ELOOP, ENOTREG, ETIME. */
function hashOnDisk(command: Extract<SinkCommand, { kind: 'hash' }>): SinkReply {
  const { id, maxBytes, deadline, headBytes } = command
  const descriptor = openSync(command.path, OPEN_FLAGS)
  try {
    if (!fstatSync(descriptor).isFile()) throw codedError('not a regular file', 'ENOTREG')
    const hash = createHash('sha256')
    let head = new Uint8Array(0)
    let bytes = 0
    while (bytes <= maxBytes) {
      if (Date.now() > deadline) throw codedError('reading took too long', 'ETIME')
      const wanted = Math.min(READ_BUFFER.length, maxBytes + 1 - bytes)
      const read = readSync(descriptor, READ_BUFFER, 0, wanted, null)
      if (read === 0) break
      const chunk = READ_BUFFER.subarray(0, read)
      hash.update(chunk)
      if (bytes < headBytes) head = Buffer.concat([head, chunk.subarray(0, headBytes - bytes)])
      bytes += read
    }
    return { kind: 'hashed', id, bytes, sha256: hash.digest('hex'), head }
  } finally {
    closeSync(descriptor)
  }
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code })
}

/** A file that already failed ignores the writes still on their way; its failure was reported. */
function write(id: number, start: number, length: number): SinkReply | undefined {
  const file = files.get(id)
  if (!file) return undefined
  const bytes = file.ring.subarray(start, start + length)
  file.hash.update(bytes)
  let offset = 0
  while (offset < length) {
    offset += writeSync(file.descriptor, bytes, offset, length - offset)
  }
  file.bytes += length
  return { kind: 'written', id, bytes: length }
}

function finish(id: number): SinkReply {
  const file = files.get(id)
  if (!file) return { kind: 'failed', id, message: 'the file was closed before it was finished' }
  closeSync(file.descriptor)
  files.delete(id)
  return { kind: 'finished', id, bytes: file.bytes, sha256: file.hash.digest('hex') }
}

/** Removing the file here, after it is closed, means no partial file outlives a failure or an abort. */
function closeAndRemove(id: number): void {
  const file = files.get(id)
  if (!file) return
  files.delete(id)
  try {
    closeSync(file.descriptor)
  } catch {
    // Already closed.
  }
  try {
    unlinkSync(file.path)
  } catch {
    // Already removed.
  }
}

function failure(id: number, error: unknown): SinkReply {
  const code = (error as { code?: unknown } | undefined)?.code
  return {
    kind: 'failed',
    id,
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {})
  }
}
