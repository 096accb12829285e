// A loopback double of the GitHub Actions cache service (v2) as @actions/cache talks to it: the
// results service's twirp endpoints and a blob store behind signed URLs. A lookup matches its key
// exactly, then each restore key as a prefix, newest entry first, as the service does. `failing`
// makes every twirp call answer 500, as a service outage would; `refusingSaves` answers every new
// entry 429, as the service does past its limit of uploads.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { BlobStore, readBody } from './azure-blob.ts'

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/'

interface CacheEntry {
  id: number
  key: string
  version: string
  finalized: boolean
  sizeBytes?: number
}

export interface CacheDouble {
  url: string
  runtimeToken: string
  entries: CacheEntry[]
  calls: string[]
  failing: boolean
  refusingSaves: boolean
  /** Delays every twirp answer, to act as a slow service. */
  delayMs: number
  blobBytes(entry: CacheEntry): Buffer | undefined
  close(): Promise<void>
}

export async function startCacheDouble(): Promise<CacheDouble> {
  const blobs = new BlobStore()
  const server = http.createServer((request, response) => {
    readBody(request).then(
      body => answer(double, blobs, { request, body, response }),
      () => response.destroy()
    )
  })
  const double: CacheDouble = {
    url: '',
    runtimeToken: runtimeToken(),
    entries: [],
    calls: [],
    failing: false,
    refusingSaves: false,
    delayMs: 0,
    blobBytes: entry => blobs.get(String(entry.id)),
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return double
}

interface Exchange {
  request: http.IncomingMessage
  body: Buffer
  response: http.ServerResponse
}

/** A blob by its signed URL, or a twirp call after the double's delay, as the service would. */
function answer(double: CacheDouble, blobs: BlobStore, exchange: Exchange): void {
  const { request, body, response } = exchange
  const url = new URL(request.url ?? '/', 'http://cache')
  const blob = /^\/blobs\/(\d+)$/.exec(url.pathname)
  if (blob) return blobs.handle(blob[1], request, url, body, response)
  if (!url.pathname.startsWith(SERVICE)) {
    response.writeHead(404)
    response.end()
    return
  }
  const method = url.pathname.slice(SERVICE.length)
  double.calls.push(method)
  const reply = (status: number, payload: object): void => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(payload))
  }
  setTimeout(() => {
    if (double.failing) return reply(500, { code: 'internal', msg: 'cache service unavailable' })
    if (double.refusingSaves && method === 'CreateCacheEntry') {
      return reply(429, { code: 'resource_exhausted', msg: 'too many cache uploads' })
    }
    const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>
    reply(200, TWIRP[method]?.(double, input) ?? { ok: false })
  }, double.delayMs)
}

type TwirpMethod = (double: CacheDouble, input: Record<string, unknown>) => object

const TWIRP: Record<string, TwirpMethod> = {
  GetCacheEntryDownloadURL: downloadUrl,
  CreateCacheEntry: createEntry,
  FinalizeCacheEntryUpload: finalizeEntry
}

/** The newest finalized entry of the key, else of the first restore key that prefixes one. */
function downloadUrl(double: CacheDouble, input: Record<string, unknown>): object {
  const usable = double.entries
    .filter(candidate => candidate.finalized && candidate.version === String(input.version))
    .reverse()
  const prefixes = (input.restore_keys as string[] | undefined) ?? []
  const entry =
    usable.find(candidate => candidate.key === input.key) ??
    prefixes.map(prefix => usable.find(candidate => candidate.key.startsWith(prefix))).find(Boolean)
  if (!entry) return { ok: false, signed_download_url: '', matched_key: '' }
  return {
    ok: true,
    signed_download_url: `${double.url}/blobs/${entry.id}?sig=read`,
    matched_key: entry.key
  }
}

function createEntry(double: CacheDouble, input: Record<string, unknown>): object {
  const version = String(input.version)
  if (double.entries.some(entry => entry.key === input.key && entry.version === version)) {
    return { ok: false, signed_upload_url: '', message: 'cache entry already exists' }
  }
  const id = double.entries.length + 1
  double.entries.push({ id, key: String(input.key), version, finalized: false })
  return { ok: true, signed_upload_url: `${double.url}/blobs/${id}?sig=write` }
}

function finalizeEntry(double: CacheDouble, input: Record<string, unknown>): object {
  const entry = double.entries.find(
    candidate => candidate.key === input.key && candidate.version === String(input.version)
  )
  if (!entry) return { ok: false, entry_id: '0', message: 'no such entry' }
  entry.finalized = true
  entry.sizeBytes = Number(input.size_bytes)
  return { ok: true, entry_id: String(entry.id) }
}

/** An ACTIONS_RUNTIME_TOKEN the libraries accept: a JWT whose scope names a run and a job. */
export function runtimeToken(): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const scope =
    'Actions.Results:ce7f54c7-61c7-4aae-887f-30da475f5f1a:ca395085-040a-526b-2ce8-bdc85f692774'
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ scp: `Actions.GenericRead ${scope}` })}.signature`
}
