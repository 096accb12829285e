// The part of Azure Blob Storage that the @actions libraries use through signed URLs: block and
// single-shot uploads, properties, and ranged downloads. Shared by the artifact and cache doubles.

import type http from 'node:http'

export class BlobStore {
  private readonly blobs = new Map<string, Buffer>()
  private readonly blocks = new Map<string, Buffer>()

  get(name: string): Buffer | undefined {
    return this.blobs.get(name)
  }

  /** Answers one request to `name`; the caller has already read the body. */
  handle(
    name: string,
    request: http.IncomingMessage,
    url: URL,
    body: Buffer,
    response: http.ServerResponse
  ): void {
    if (request.method === 'PUT') return this.put(name, url, body, response)
    const blob = this.blobs.get(name)
    if (!blob) {
      response.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' })
      response.end()
      return
    }
    const headers = { ...commonHeaders(), 'x-ms-blob-type': 'BlockBlob', 'accept-ranges': 'bytes' }
    if (request.method === 'HEAD') {
      response.writeHead(200, { ...headers, 'content-length': blob.length })
      response.end()
      return
    }
    const range = /bytes=(\d+)-(\d*)/.exec(
      String(request.headers['x-ms-range'] ?? request.headers.range ?? '')
    )
    if (!range) {
      response.writeHead(200, { ...headers, 'content-length': blob.length })
      response.end(blob)
      return
    }
    const start = Number(range[1])
    const end = range[2] ? Math.min(Number(range[2]), blob.length - 1) : blob.length - 1
    response.writeHead(206, {
      ...headers,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${blob.length}`
    })
    response.end(blob.subarray(start, end + 1))
  }

  private put(name: string, url: URL, body: Buffer, response: http.ServerResponse): void {
    const comp = url.searchParams.get('comp')
    if (comp === 'block') {
      this.blocks.set(`${name}:${url.searchParams.get('blockid')}`, body)
    } else if (comp === 'blocklist') {
      const ids = [
        ...body.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]+)<\//g)
      ].map(match => match[1])
      this.blobs.set(
        name,
        Buffer.concat(ids.map(id => this.blocks.get(`${name}:${id}`) ?? Buffer.alloc(0)))
      )
    } else {
      this.blobs.set(name, body)
    }
    response.writeHead(201, { ...commonHeaders(), 'content-md5': '' })
    response.end()
  }
}

function commonHeaders(): Record<string, string> {
  return {
    etag: '"0x8DC0000000000000"',
    'last-modified': new Date().toUTCString(),
    'x-ms-request-id': 'blob-double',
    'x-ms-version': '2025-01-05',
    'x-ms-request-server-encrypted': 'true'
  }
}

/** Reads a whole request body; the doubles only see small test payloads. */
export function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}
