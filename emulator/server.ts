// A loopback emulator of the echo3D API, faithful to docs/echo3d-api.md: an API origin and a
// storage origin that `/query?file=` redirects to, credential checks, conversions with a delay,
// and per-test fault injection. Tests and the demo run the real action against it.
//
// This file only wires the parts together: collection.ts holds what is stored, faults.ts what a
// test asked to go wrong, and routes/ has one handler per route.
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { Collection, type EntrySpec, type ModelFormat } from './collection.ts'
import { Faults, type Fault, type Route } from './faults.ts'
import { sendText } from './replies.ts'
import type { EmulatorState, Handler } from './routes/context.ts'
import { requireCredentials } from './routes/credentials.ts'
import { handleDownload } from './routes/download.ts'
import { handleQuery } from './routes/query.ts'
import { handleStorageFile } from './routes/storage-file.ts'

export type { EntrySpec } from './collection.ts'
export type { Fault } from './faults.ts'

export interface EmulatorCredentials {
  apiKey: string
  email: string
  userKey: string
  /** Set to turn "secure API calls" on. */
  secKey?: string
}

export interface RequestRecord {
  route: Route | 'redirect'
  method: string
  target: string
  status: number
}

/** What the storage host saw: how many downloads ran at once, and over how many connections. */
export interface StorageStats {
  inFlight: number
  maxInFlight: number
  connections: number
}

export interface EmulatorOptions {
  credentials?: EmulatorCredentials
  entries?: EntrySpec[]
  conversionDelayMs?: number
  /** Serve https, as echo3D does, with this certificate, under these names instead of 127.0.0.1. */
  tls?: EmulatorTls
}

interface EmulatorTls {
  key: string
  cert: string
  /** Names that a proxy (or the hosts file) maps to loopback, such as api.echo3d.test. */
  apiHost?: string
  storageHost?: string
}

export interface Emulator {
  apiUrl: string
  storageUrl: string
  credentials: EmulatorCredentials
  requests: RequestRecord[]
  storageStats: StorageStats
  /** How long the storage host waits before it answers, to make transfers overlap. */
  storageLatencyMs: number
  /** Caps how fast file bodies are sent, in bytes per second (0: as fast as loopback goes). */
  bandwidth: number
  /** Answers POST /download with a redirect to the storage host instead of the bytes (0: no). */
  downloadRedirect: 0 | 302 | 303 | 307 | 308
  conversionDelayMs: number
  /** Conversions echo3D takes at once; one more is answered 429 with Retry-After (0: no limit). */
  conversionCapacity: number
  /** Conversions in progress, and the most there were at once. */
  conversionStats: { inFlight: number; maxInFlight: number; refused: number }
  fault(fault: Fault): void
  clearFaults(): void
  /** Forgets requests and faults and sets the conversion delay back, between tests. */
  reset(): void
  storageIdOf(entryId: string, format: ModelFormat | 'original'): string | undefined
  fileBytes(storageId: string): Buffer | undefined
  /** Uploads the entry's file again, as a user would in the console: new storage IDs, new bytes. */
  reupload(entryId: string): void
  close(): Promise<void>
}

const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  apiKey: 'late-night-1234',
  email: 'artist@example.com',
  userKey: 'uk-0f9e8d7c6b5a',
  secKey: undefined
}

// The API origin's routes by path; both check the credentials first, as echo3D does.
const API_ROUTES = new Map<string, Handler>([
  ['/query', requireCredentials('query', handleQuery)],
  ['/download', requireCredentials('download', handleDownload)]
])

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const collection = new Collection(options.entries ?? [])
  const faults = new Faults()
  const closing = new AbortController()
  const api = createServer(options.tls)
  const storage = createServer(options.tls)
  const emulator = createEmulator(options, collection, faults, async () => {
    closing.abort()
    faults.releaseStalled()
    await closeServers([api, storage])
  })
  const state: EmulatorState = {
    emulator,
    collection,
    faults,
    storageToken: randomBytes(8).toString('hex'),
    closing: closing.signal
  }
  api.on('request', (request, response) => answerApi(state, request, response))
  storage.on('request', (request, response) => answerStorage(state, request, response))
  storage.on('connection', () => emulator.storageStats.connections++)
  emulator.apiUrl = await listen(api, options.tls, options.tls?.apiHost)
  emulator.storageUrl = await listen(storage, options.tls, options.tls?.storageHost)
  return emulator
}

function createEmulator(
  options: EmulatorOptions,
  collection: Collection,
  faults: Faults,
  close: () => Promise<void>
): Emulator {
  const emulator: Emulator = {
    apiUrl: '',
    storageUrl: '',
    credentials: options.credentials ?? DEFAULT_CREDENTIALS,
    requests: [],
    ...initialSettings(options),
    fault: fault => faults.add(fault),
    clearFaults: () => faults.clear(),
    reset: () => {
      emulator.requests.splice(0)
      faults.clear()
      Object.assign(emulator, initialSettings(options))
    },
    storageIdOf: (entryId, format) => collection.storageIdOf(entryId, format),
    fileBytes: storageId => collection.file(storageId)?.bytes,
    reupload: entryId => collection.reupload(entryId),
    close
  }
  return emulator
}

// What `reset` puts back between tests: the settings a test may change, and the storage counters.
// One source for their values at start and after `reset`, so that the two cannot drift apart.
type Settings = Pick<
  Emulator,
  | 'storageStats'
  | 'storageLatencyMs'
  | 'bandwidth'
  | 'downloadRedirect'
  | 'conversionDelayMs'
  | 'conversionCapacity'
  | 'conversionStats'
>

function initialSettings(options: EmulatorOptions): Settings {
  return {
    storageStats: { inFlight: 0, maxInFlight: 0, connections: 0 },
    storageLatencyMs: 0,
    bandwidth: 0,
    downloadRedirect: 0,
    conversionDelayMs: options.conversionDelayMs ?? 0,
    conversionCapacity: 0,
    conversionStats: { inFlight: 0, maxInFlight: 0, refused: 0 }
  }
}

function answerApi(
  state: EmulatorState,
  request: http.IncomingMessage,
  response: http.ServerResponse
): void {
  const url = new URL(request.url ?? '/', 'http://emulator')
  readParams(request, url)
    .then(async params => {
      const handler = API_ROUTES.get(url.pathname)
      if (!handler) {
        sendText(response, 404, 'Not found')
        return
      }
      await handler({ state, request, response, url, params })
    })
    .catch(() => response.destroy())
}

function answerStorage(
  state: EmulatorState,
  request: http.IncomingMessage,
  response: http.ServerResponse
): void {
  const url = new URL(request.url ?? '/', 'http://storage')
  handleStorageFile({ state, request, response, url, params: url.searchParams })
}

// echo3D takes its parameters from the query string or, on POST, from a form body; the action
// sends credentials in the body so that they stay out of URLs and logs.
async function readParams(request: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.search)
  if (request.method !== 'POST') return params
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
    params.set(name, value)
  return params
}

function createServer(tls: EmulatorTls | undefined): http.Server {
  return tls ? https.createServer({ key: tls.key, cert: tls.cert }) : http.createServer()
}

async function listen(
  server: http.Server,
  tls: EmulatorTls | undefined,
  host = '127.0.0.1'
): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return `${tls ? 'https' : 'http'}://${host}:${(server.address() as AddressInfo).port}`
}

// Open keep-alive connections would hold `close` up until they time out.
async function closeServers(servers: http.Server[]): Promise<void> {
  for (const server of servers) server.closeAllConnections()
  await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))))
}
