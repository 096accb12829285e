// The thread that hashes and writes downloads, as the bundle ships it (dist/sink-worker), driven
// through the main-thread side in src/engine/transfer/file-sink.ts.

import { beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFile, symlink, writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import type { Content } from '../../src/model.js'
import { Redactor } from '../../src/secrets.js'
import { WriterThread, type FileSink } from '../../src/engine/transfer/file-sink.js'
import { Connections, send } from '../../src/engine/transfer/http.js'
import { scratchFolder, sha256 } from './support.ts'

const WORKER_FILE = path.resolve('dist/sink-worker/index.js')
const KIB = 1024

let folder: string
beforeEach(async () => {
  folder = await scratchFolder('file-sink')
})

/** Chunks of every kind a body brings: whole buffers, slices, pooled ones, one larger than the ring. */
function mixedChunks(): Buffer[] {
  const shared = randomBytes(256 * KIB)
  return [
    ...Array.from({ length: 48 }, () => randomBytes(64 * KIB)),
    randomBytes(3 * 1024 * KIB),
    shared.subarray(0, 100 * KIB),
    shared.subarray(100 * KIB),
    Buffer.from('a pooled small chunk')
  ]
}

function expectedOf(chunks: Buffer[]): { bytes: number; sha256: string } {
  const whole = Buffer.concat(chunks)
  return { bytes: whole.length, sha256: sha256(whole) }
}

/** Writes the chunks the way a download does: one at a time, waiting whenever the sink asks. */
async function writeAll(sink: FileSink, chunks: Iterable<Buffer>): Promise<Content> {
  try {
    for (const chunk of chunks) await sink.write(chunk)
    return await sink.finish()
  } catch (error) {
    await sink.abort().catch(() => undefined)
    throw error
  }
}

describe('the file writer thread', () => {
  it('writes and hashes a body of many chunks, more than it lets run ahead', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const chunks = mixedChunks()
    const expected = expectedOf(chunks)
    const target = path.join(folder, 'model.glb')

    const written = await writeAll(thread.createSink(target), chunks)

    expect(expected.bytes).toBeGreaterThan(6 * 1024 * KIB)
    expect(written).toEqual(expected)
    const onDisk = await readFile(target)
    expect(onDisk.length).toBe(expected.bytes)
    expect(sha256(onDisk)).toBe(expected.sha256)
  })

  it('never takes a chunk away from its producer', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const chunks = Array.from({ length: 8 }, () => randomBytes(64 * KIB))
    const expected = expectedOf(chunks)
    const intactWhenHandedOver: boolean[] = []
    function* rereading(): Generator<Buffer> {
      for (const chunk of chunks) {
        yield chunk
        // Back here, the consumer has taken the chunk; producers such as undici may still read it.
        intactWhenHandedOver.push(chunk.length === 64 * KIB)
      }
    }

    const written = await writeAll(thread.createSink(path.join(folder, 'model.glb')), rereading())

    expect(intactWhenHandedOver).toEqual(chunks.map(() => true))
    expect(written).toEqual(expected)
  })

  it('takes a body straight from a response, back-pressure included', async () => {
    const body = randomBytes(32 * 1024 * KIB)
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-length': body.length })
      response.end(body)
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const thread = new WriterThread(WORKER_FILE)
    const target = path.join(folder, 'large.glb')
    const connections = new Connections(1, new Redactor([]), {
      httpProxy: '',
      httpsProxy: '',
      noProxy: ''
    })
    try {
      const response = await send(
        connections,
        { method: 'GET', url: new URL(`http://127.0.0.1:${port}/`), description: 'test' },
        { headersTimeoutMs: 10_000, stallTimeoutMs: 10_000, signal: new AbortController().signal }
      )
      const sink = thread.createSink(target)
      let waits = 0
      await response.body.deliverTo(chunk => {
        const wait = sink.write(chunk)
        if (wait) waits++
        return wait
      })
      expect(await sink.finish()).toEqual({ bytes: body.length, sha256: sha256(body) })
      expect(waits).toBeGreaterThan(0)
      expect(sha256(await readFile(target))).toBe(sha256(body))
    } finally {
      await connections.close()
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('refuses a step taken before the last chunk is in, rather than cut the file short', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const sink = thread.createSink(path.join(folder, 'out-of-turn.bin'))
    const waiting = sink.write(randomBytes(3 * 1024 * KIB))

    expect(waiting).toBeInstanceOf(Promise)
    await expect(sink.finish()).rejects.toThrow(/before the last chunk was in/)
    await expect(sink.write(randomBytes(KIB)) as Promise<void>).rejects.toThrow(/before the last/)
    await waiting
    await sink.abort()
  })

  it('writes several files at once through one thread', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const bodies = Array.from({ length: 6 }, () => mixedChunks())
    const expected = bodies.map(expectedOf)

    const sinks = bodies.map((_, index) => thread.createSink(path.join(folder, `${index}.bin`)))
    const written = await Promise.all(bodies.map((chunks, index) => writeAll(sinks[index], chunks)))

    for (const index of sinks.keys()) {
      expect(written[index]).toEqual(expected[index])
      expect(sha256(await readFile(path.join(folder, `${index}.bin`)))).toBe(expected[index].sha256)
    }
  })

  it('never writes over a file that exists', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const target = path.join(folder, 'taken.glb')
    await writeFile(target, 'someone else’s file')

    const sink = thread.createSink(target)
    await expect(writeAll(sink, [randomBytes(64 * KIB)])).rejects.toMatchObject({
      code: 'EEXIST'
    })
    expect(await readFile(target, 'utf8')).toBe('someone else’s file')
  })

  it('removes the file when the body fails part way', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const target = path.join(folder, 'cut.glb')
    function* cutShort(): Generator<Buffer> {
      for (let index = 0; index < 40; index++) yield randomBytes(64 * KIB)
      throw new Error('connection reset')
    }

    await expect(writeAll(thread.createSink(target), cutShort())).rejects.toThrow(
      'connection reset'
    )
    expect(existsSync(target)).toBe(false)
  })

  it('fails the files in flight, rather than waiting for ever, when the thread cannot start', async () => {
    const thread = new WriterThread(path.join(folder, 'no-such-worker.js'))
    const sink = thread.createSink(path.join(folder, 'never.glb'))

    await expect(writeAll(sink, [randomBytes(64 * KIB)])).rejects.toThrow(
      /no-such-worker|Cannot find module/
    )
  })
})

describe('the writer thread hashing a file on disk', () => {
  const far = (): number => Date.now() + 60_000

  it('returns its size, hash and as much of its start as asked', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const bytes = randomBytes(3 * 1024 * KIB + 17)
    const file = path.join(folder, 'model.glb')
    await writeFile(file, bytes)
    const hashed = await thread.hash(file, {
      maxBytes: bytes.length,
      deadline: far(),
      headBytes: 1024
    })
    expect(hashed.bytes).toBe(bytes.length)
    expect(hashed.sha256).toBe(sha256(bytes))
    expect(hashed.head.equals(bytes.subarray(0, 1024))).toBe(true)
  })

  it('reads no more than one byte past maxBytes', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const file = path.join(folder, 'long.bin')
    await writeFile(file, randomBytes(10 * KIB))
    const hashed = await thread.hash(file, { maxBytes: 100, deadline: far(), headBytes: 64 })
    expect(hashed.bytes).toBe(101)
  })

  it('refuses a link, a pipe and a folder without waiting on them, and says a file is missing', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const target = path.join(folder, 'target.glb')
    await writeFile(target, 'x')
    const link = path.join(folder, 'link.glb')
    await symlink(target, link)
    const pipe = path.join(folder, 'pipe.glb')
    execFileSync('mkfifo', [pipe])
    const limits = { maxBytes: 10, deadline: far(), headBytes: 64 }
    await expect(thread.hash(link, limits)).rejects.toMatchObject({ code: 'ELOOP' })
    await expect(thread.hash(pipe, limits)).rejects.toMatchObject({ code: 'ENOTREG' })
    await expect(thread.hash(folder, limits)).rejects.toMatchObject({ code: 'ENOTREG' })
    await expect(thread.hash(path.join(folder, 'none'), limits)).rejects.toMatchObject({
      code: 'ENOENT'
    })
  })

  it('stops at the deadline', async () => {
    const thread = new WriterThread(WORKER_FILE)
    const file = path.join(folder, 'slow.bin')
    await writeFile(file, randomBytes(2 * 1024 * KIB))
    const limits = { maxBytes: 2 * 1024 * KIB, deadline: Date.now() - 1, headBytes: 64 }
    await expect(thread.hash(file, limits)).rejects.toMatchObject({ code: 'ETIME' })
  })
})
