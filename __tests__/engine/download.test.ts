// A download as the engine makes it: `send` through undici, then `streamToFile` through the tap
// into a new file, against servers that answer as real ones can.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { Writable } from 'node:stream'
import { scratchFolder } from '../../harness/runner.ts'
import { streamToFile, type SideFile } from '../../src/engine/transfer/download.js'
import { Connections, send } from '../../src/engine/transfer/http.js'
import { NO_PROXY } from '../../src/engine/transfer/proxy.js'
import { WorkspaceFolders } from '../../src/engine/workspace.js'
import { Redactor } from '../../src/secrets.js'

const large = randomBytes(4 * 1024 * 1024)
const redactor = new Redactor([])
let server: http.Server
let base: string
let connections: Connections

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/early-hints') {
      response.writeEarlyHints({ link: '</style.css>; rel=preload' })
    }
    response.writeHead(200, { 'content-length': large.length })
    response.end(large)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  connections = new Connections(2, NO_PROXY)
})

afterAll(async () => {
  await connections.close()
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

const options = () => ({
  headersTimeoutMs: 10_000,
  stallTimeoutMs: 10_000,
  signal: new AbortController().signal,
  redactor
})

async function download(
  url: URL,
  copyTo?: SideFile
): Promise<{ bytes: Buffer; sha256: string; folder: string }> {
  const folder = await scratchFolder('download')
  const finalPath = path.join(folder, 'model.bin')
  const response = await send(connections, { method: 'GET', url, description: 'test' }, options())
  const placed = await streamToFile(response.body, {
    folders: new WorkspaceFolders(folder),
    finalPath,
    maxFileBytes: large.length,
    redactor,
    ...(copyTo ? { copyTo } : {})
  })
  return { bytes: await readFile(finalPath), sha256: placed.sha256, folder }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

describe('a download', () => {
  it('passes informational answers (103 Early Hints) over for the answer that follows', async () => {
    const { bytes, sha256: hashed } = await download(new URL('/early-hints', base))
    expect(bytes.equals(large)).toBe(true)
    expect(hashed).toBe(sha256(large))
  })

  it('writes every byte to a second file as it passes, and ends it', async () => {
    const folder = await scratchFolder('side-copy')
    const copyPath = path.join(folder, 'copy.bin')
    const copy = createWriteStream(copyPath, { flags: 'wx' })
    const { bytes } = await download(new URL('/', base), { file: copy, maxWaitMs: 10_000 })
    expect(bytes.equals(large)).toBe(true)
    expect(copy.closed).toBe(true)
    expect((await readFile(copyPath)).equals(large)).toBe(true)
  })

  it('goes on without a second file that fails part way', async () => {
    let written = 0
    const failing = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer, _encoding, done) => {
        written += chunk.length
        setImmediate(() => done(written > 256 * 1024 ? new Error('the disk is full') : null))
      }
    })
    const { bytes } = await download(new URL('/', base), { file: failing, maxWaitMs: 10_000 })
    expect(bytes.equals(large)).toBe(true)
    expect(failing.errored?.message).toBe('the disk is full')
    expect(written).toBeLessThan(large.length)
  })

  it('drops a second file that holds the body back longer than its time, and goes on', async () => {
    let waitingSince = 0
    const stalled = new Writable({
      highWaterMark: 1,
      write: () => {
        waitingSince = Date.now()
      }
    })
    let droppedAfterMs = 0
    stalled.on('close', () => (droppedAfterMs = Date.now() - waitingSince))
    const { bytes } = await download(new URL('/', base), { file: stalled, maxWaitMs: 300 })
    expect(bytes.equals(large)).toBe(true)
    expect(stalled.destroyed).toBe(true)
    expect(stalled.writableFinished).toBe(false)
    // Dropped once its time was up, and not before.
    expect(droppedAfterMs).toBeGreaterThanOrEqual(290)
  })

  it('holds the body back while the second file is behind, so that neither buffers more', async () => {
    let mostHeld = 0
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write: (_chunk: Buffer, _encoding, done) => {
        mostHeld = Math.max(mostHeld, slow.writableLength)
        setTimeout(done, 1)
      }
    })
    const { bytes } = await download(new URL('/', base), { file: slow, maxWaitMs: 60_000 })
    expect(bytes.equals(large)).toBe(true)
    expect(slow.writableFinished).toBe(true)
    // Its buffer and one socket read, never the body.
    expect(mostHeld).toBeLessThanOrEqual(2 * 64 * 1024)
  })

  it('drops a second file once its waits add up to its time, each short as it is', async () => {
    let writes = 0
    const sluggish = new Writable({
      highWaterMark: 1,
      write: (_chunk: Buffer, _encoding, done) => {
        writes++
        setTimeout(done, 120)
      }
    })
    const { bytes } = await download(new URL('/', base), { file: sluggish, maxWaitMs: 300 })
    expect(bytes.equals(large)).toBe(true)
    expect(sluggish.writableFinished).toBe(false)
    expect(writes).toBeLessThanOrEqual(4)
  })

  it('drops a second file that cannot write what it holds once the body has ended', async () => {
    const neverDone = new Writable({ highWaterMark: 64 * 1024 * 1024, write: () => undefined })
    const { bytes } = await download(new URL('/', base), { file: neverDone, maxWaitMs: 300 })
    expect(bytes.equals(large)).toBe(true)
    expect(neverDone.destroyed).toBe(true)
    expect(neverDone.writableFinished).toBe(false)
  })

  it('writes a body sent a byte to a chunk in blocks, not in millions of pieces', async () => {
    const body = large.subarray(0, 256 * 1024)
    const byteByByte = net.createServer(socket =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n')
        const pieces = Array.from(body, byte => `1\r\n${String.fromCharCode(byte)}\r\n`)
        socket.end(
          Buffer.concat([Buffer.from(pieces.join(''), 'latin1'), Buffer.from('0\r\n\r\n')])
        )
      })
    )
    await new Promise<void>(resolve => byteByByte.listen(0, '127.0.0.1', resolve))
    const sizes: number[] = []
    const copy = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        sizes.push(chunk.length)
        done()
      }
    })
    try {
      const { port } = byteByByte.address() as AddressInfo
      const url = new URL(`http://127.0.0.1:${port}/`)
      const { bytes } = await download(url, { file: copy, maxWaitMs: 10_000 })
      expect(bytes.equals(body)).toBe(true)
      expect(sizes.slice(0, -1).every(size => size >= 16 * 1024)).toBe(true)
      expect(sizes.length).toBeLessThanOrEqual(16)
    } finally {
      byteByByte.close()
    }
  })

  it('destroys the second file when the body fails', async () => {
    const folder = await scratchFolder('side-copy')
    const copy = createWriteStream(path.join(folder, 'copy.bin'), { flags: 'wx' })
    const closing = await closingServer(true, large.length / 2)
    try {
      const { port } = closing.address() as AddressInfo
      const halfBody = download(new URL(`http://127.0.0.1:${port}/`), {
        file: copy,
        maxWaitMs: 10_000
      })
      await expect(halfBody).rejects.toThrow()
      expect(copy.destroyed).toBe(true)
      expect(copy.writableFinished).toBe(false)
    } finally {
      closing.close()
    }
  })

  /** A server that sends its whole answer at once and closes, with or without Content-Length. */
  async function closingServer(withLength: boolean, sentBytes = large.length): Promise<net.Server> {
    const closing = net.createServer(socket =>
      socket.once('data', () => {
        const length = withLength ? `Content-Length: ${large.length}\r\n` : ''
        const head = `HTTP/1.1 200 OK\r\nConnection: close\r\n${length}\r\n`
        socket.end(Buffer.concat([Buffer.from(head), large.subarray(0, sentBytes)]))
      })
    )
    await new Promise<void>(resolve => closing.listen(0, '127.0.0.1', resolve))
    return closing
  }

  // The peer's close reaches the client with the last bytes, while the disk is still behind.
  it.each([true, false])(
    'keeps every byte when the server closes at once (Content-Length: %s)',
    async withLength => {
      const closing = await closingServer(withLength)
      try {
        const { port } = closing.address() as AddressInfo
        const { bytes, folder } = await download(new URL(`http://127.0.0.1:${port}/`))
        expect(bytes.equals(large)).toBe(true)
        expect(await readdir(folder)).toEqual(['model.bin'])
      } finally {
        closing.close()
      }
    }
  )
})
