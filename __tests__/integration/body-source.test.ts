// How a body reaches what takes it, chunk by chunk and without Node's streams: from undici
// (ResponseBody, through `send`) and from a Readable (a file in the cache).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { readableSource } from '../../src/engine/transfer/body-source.js'
import { Connections, send, type HttpResponse } from '../../src/engine/transfer/http.js'
import { Redactor } from '../../src/secrets.js'

const KIB = 1024
const large = randomBytes(4 * 1024 * KIB)
let server: http.Server
let base: string
let connections: Connections
const sockets = new Set<unknown>()

beforeAll(async () => {
  server = http.createServer((request, response) => {
    sockets.add(request.socket)
    if (request.url === '/early-hints')
      response.writeEarlyHints({ link: '</style.css>; rel=preload' })
    const body = request.url === '/empty' ? Buffer.alloc(0) : large
    response.writeHead(200, { 'content-length': body.length })
    response.end(body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  connections = new Connections(1, new Redactor([]), { httpProxy: '', httpsProxy: '', noProxy: '' })
})

afterAll(async () => {
  await connections.close()
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

function get(pathname: string, signal = new AbortController().signal): Promise<HttpResponse> {
  return send(
    connections,
    { method: 'GET', url: new URL(pathname, base), description: 'test' },
    { headersTimeoutMs: 10_000, stallTimeoutMs: 10_000, signal }
  )
}

describe('a response body', () => {
  it('hands over every byte in order, waiting whenever the taker asks', async () => {
    const response = await get('/large')
    const chunks: Buffer[] = []
    await response.body.deliverTo(chunk => {
      chunks.push(Buffer.from(chunk))
      return new Promise(resolve => setImmediate(resolve))
    })
    expect(Buffer.concat(chunks).equals(large)).toBe(true)
  })

  it('ends at once for an empty body', async () => {
    const response = await get('/empty')
    let chunks = 0
    await response.body.deliverTo(() => {
      chunks++
      return undefined
    })
    expect(chunks).toBe(0)
  })

  it('stops when the taker has enough, on a new connection next time', async () => {
    const response = await get('/large')
    let received = 0
    await response.body.deliverTo(chunk => {
      received += chunk.length
      return 'enough'
    })
    expect(received).toBeLessThan(large.length)

    const socketsBefore = sockets.size
    const next = await get('/empty')
    await next.body.deliverTo(() => undefined)
    expect(sockets.size).toBe(socketsBefore + 1)
  })

  it('fails with what the taker threw, and can be taken only once', async () => {
    const response = await get('/large')
    await expect(
      response.body.deliverTo(() => {
        throw new Error('not a model')
      })
    ).rejects.toThrow('not a model')
    await expect(response.body.deliverTo(() => undefined)).rejects.toThrow(/only once/)
  })

  it('fails when the request is aborted while the body waits for its taker', async () => {
    const controller = new AbortController()
    const response = await get('/large', controller.signal)
    controller.abort(new Error('out of time'))
    await expect(response.body.deliverTo(() => undefined)).rejects.toThrow('out of time')
  })
})

describe('a response body whose server closes the connection', () => {
  /** A server that sends its whole answer at once and closes, with or without Content-Length. */
  async function closingServer(withLength: boolean): Promise<{ url: URL; close: () => void }> {
    const closing = net.createServer(socket =>
      socket.once('data', () => {
        const length = withLength ? `Content-Length: ${large.length}\r\n` : ''
        socket.end(
          Buffer.concat([
            Buffer.from(`HTTP/1.1 200 OK\r\nConnection: close\r\n${length}\r\n`),
            large
          ])
        )
      })
    )
    await new Promise<void>(resolve => closing.listen(0, '127.0.0.1', resolve))
    const { port } = closing.address() as AddressInfo
    return { url: new URL(`http://127.0.0.1:${port}/`), close: () => closing.close() }
  }

  // undici delivers the rest and the end at once when the peer closes, paused or not.
  it.each([true, false])(
    'hands over every byte to a slow taker before it ends (Content-Length: %s)',
    async withLength => {
      const closing = await closingServer(withLength)
      try {
        const response = await send(
          connections,
          { method: 'GET', url: closing.url, description: 'test' },
          { headersTimeoutMs: 10_000, stallTimeoutMs: 10_000, signal: new AbortController().signal }
        )
        await new Promise(resolve => setTimeout(resolve, 100))
        const chunks: Buffer[] = []
        let pending = 0
        await response.body.deliverTo(chunk => {
          chunks.push(chunk)
          pending++
          return new Promise(resolve =>
            setTimeout(() => {
              pending--
              resolve()
            }, 2)
          )
        })
        expect(pending).toBe(0)
        expect(Buffer.concat(chunks).equals(large)).toBe(true)
      } finally {
        closing.close()
      }
    }
  )
})

describe('informational answers', () => {
  it('are passed over for the answer that follows them', async () => {
    const response = await get('/early-hints')
    expect(response.statusCode).toBe(200)
    const chunks: Buffer[] = []
    await response.body.deliverTo(chunk => {
      chunks.push(chunk)
      return undefined
    })
    expect(Buffer.concat(chunks).equals(large)).toBe(true)
  })
})

describe('a Readable as a body', () => {
  it('hands over its chunks and stops, closing it, when the taker has enough', async () => {
    const readable = Readable.from([Buffer.from('one'), Buffer.from('two'), Buffer.from('three')])
    const seen: string[] = []
    await readableSource(readable).deliverTo(chunk => {
      seen.push(chunk.toString())
      return seen.length === 2 ? 'enough' : undefined
    })
    expect(seen).toEqual(['one', 'two'])
    expect(readable.destroyed).toBe(true)
  })
})
