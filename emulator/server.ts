/**
 * A loopback emulator of the echo3D API, faithful to docs/echo3d-api.md: an API origin and a
 * storage origin that `/query?file=` redirects to, credential checks, conversions with a delay,
 * and per-test fault injection. Tests and the demo run the real action against it.
 */
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { makeSample, type SampleFormat } from './samples.ts'

export const MODEL_FORMATS = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl'] as const
export type ModelFormat = (typeof MODEL_FORMATS)[number]

export interface EntrySpec {
  id: string
  /** The upload's file name; its extension decides the original format. */
  filename: string
  tags?: string[]
  /** Derived formats that exist from the start. Default: glb and usdz, as echo3D makes them. */
  derived?: ModelFormat[]
  /** Formats a conversion can make; others are rejected with 400. Default: every model format. */
  convertible?: ModelFormat[]
  material?: string
  textures?: string[]
  /** Pads every file of the entry to at least this size. */
  minBytes?: number
}

export interface EmulatorCredentials {
  apiKey: string
  email: string
  userKey: string
  /** Set to turn "secure API calls" on. */
  secKey?: string
}

export type Route = 'query' | 'file' | 'download'
export type FaultKind = 'status' | 'reset' | 'truncate' | 'stall' | 'error200'

export interface Fault {
  route: Route
  kind: FaultKind
  /** How many requests it hits; default 1. */
  times?: number
  status?: number
  retryAfter?: string
  /** Only requests whose storage or entry ID contains this. */
  match?: string
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

export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  apiKey: 'late-night-1234',
  email: 'artist@example.com',
  userKey: 'uk-0f9e8d7c6b5a',
  secKey: undefined
}

interface StoredFile {
  bytes: Buffer
  contentType: string
}

interface StoredEntry {
  spec: EntrySpec
  /** How often the entry was uploaded again. */
  generation: number
  originalId: string
  originalFormat?: ModelFormat
  derived: Map<ModelFormat, string>
  materialId?: string
  textureIds: string[]
}

const CONTENT_TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  gltf: 'model/gltf+json',
  usdz: 'model/vnd.usdz+zip',
  obj: 'text/plain',
  mtl: 'text/plain',
  png: 'image/png'
}

function uuidFor(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : ''
}

function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName
  const dot = last.lastIndexOf('.')
  return dot > 0 ? last.slice(0, dot) : last
}

function isModelFormat(value: string): value is ModelFormat {
  return (MODEL_FORMATS as readonly string[]).includes(value)
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS
  const files = new Map<string, StoredFile>()
  const entries = new Map<string, StoredEntry>()
  const faults: Fault[] = []
  const requests: RequestRecord[] = []
  const stalled = new Set<http.ServerResponse>()
  const pendingConversions = new AbortController()
  const storageToken = randomBytes(8).toString('hex')

  const storeFile = (
    storageId: string,
    format: SampleFormat | string,
    name: string,
    minBytes = 0
  ): void => {
    const bytes = isSampleFormat(format)
      ? makeSample(format, name, minBytes)
      : Buffer.from(`%PDF-1.4\n% ${name}\n`)
    files.set(storageId, {
      bytes,
      contentType: CONTENT_TYPES[format] ?? 'application/octet-stream'
    })
  }

  const sampleName = (entry: StoredEntry): string =>
    `${baseName(entry.spec.filename)}${entry.generation > 0 ? ` v${entry.generation + 1}` : ''}`
  const seed = (entry: StoredEntry, part: string): string =>
    `${entry.spec.id}:${entry.generation}:${part}`

  const addDerived = (entry: StoredEntry, format: ModelFormat): string => {
    const storageId = `${uuidFor(seed(entry, format))}.${format}`
    storeFile(storageId, format, sampleName(entry), entry.spec.minBytes)
    entry.derived.set(format, storageId)
    return storageId
  }

  /** Stores an upload and what echo3D derives from it; a re-upload gets new storage IDs and bytes. */
  const upload = (entry: StoredEntry): void => {
    const { spec } = entry
    entry.originalId = uuidFor(seed(entry, 'original'))
    entry.derived = new Map()
    storeFile(entry.originalId, extensionOf(spec.filename), sampleName(entry), spec.minBytes)
    for (const format of spec.derived ?? ['glb', 'usdz']) {
      if (format !== entry.originalFormat) addDerived(entry, format)
    }
    if (spec.material) {
      entry.materialId = uuidFor(seed(entry, 'material'))
      storeFile(entry.materialId, 'mtl', baseName(spec.material))
    }
    entry.textureIds = (spec.textures ?? []).map((name, index) => {
      const id = uuidFor(seed(entry, `texture:${index}`))
      storeFile(id, 'png', name)
      return id
    })
  }

  for (const spec of options.entries ?? []) {
    const extension = extensionOf(spec.filename)
    const entry: StoredEntry = {
      spec,
      generation: 0,
      originalId: '',
      originalFormat: isModelFormat(extension) ? extension : undefined,
      derived: new Map(),
      textureIds: []
    }
    upload(entry)
    entries.set(spec.id, entry)
  }

  const emulator: Emulator = {
    apiUrl: '',
    storageUrl: '',
    credentials,
    requests,
    storageStats: { inFlight: 0, maxInFlight: 0, connections: 0 },
    storageLatencyMs: 0,
    bandwidth: 0,
    downloadRedirect: 0,
    conversionDelayMs: options.conversionDelayMs ?? 0,
    fault: fault => faults.push({ times: 1, ...fault }),
    clearFaults: () => faults.splice(0),
    reset: () => {
      requests.splice(0)
      emulator.storageStats = { inFlight: 0, maxInFlight: 0, connections: 0 }
      emulator.storageLatencyMs = 0
      emulator.bandwidth = 0
      emulator.downloadRedirect = 0
      faults.splice(0)
      emulator.conversionDelayMs = options.conversionDelayMs ?? 0
    },
    storageIdOf: (entryId, format) => {
      const entry = entries.get(entryId)
      if (!entry) return undefined
      if (format === 'original' || format === entry.originalFormat) return entry.originalId
      return entry.derived.get(format)
    },
    fileBytes: storageId => files.get(storageId)?.bytes,
    reupload: entryId => {
      const entry = entries.get(entryId)
      if (!entry) throw new Error(`no entry ${entryId}`)
      entry.generation++
      upload(entry)
    },
    close: async () => {
      pendingConversions.abort()
      for (const response of stalled) response.destroy()
      for (const server of [api, storage]) server.closeAllConnections()
      await Promise.all([api, storage].map(server => new Promise(resolve => server.close(resolve))))
    }
  }

  function takeFault(route: Route, target: string): Fault | undefined {
    const index = faults.findIndex(
      fault => fault.route === route && (!fault.match || target.includes(fault.match))
    )
    if (index === -1) return undefined
    const fault = faults[index]
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) faults.splice(index, 1)
    return fault
  }

  function record(
    route: RequestRecord['route'],
    request: http.IncomingMessage,
    target: string,
    status: number
  ): void {
    requests.push({ route, method: request.method ?? 'GET', target, status })
  }

  function sendText(
    response: http.ServerResponse,
    status: number,
    text: string,
    headers: http.OutgoingHttpHeaders = {}
  ): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
    response.end(text)
  }

  /** Serves bytes, or the fault a test asked for in their place. */
  function serveBytes(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    route: Route,
    target: string,
    body: Buffer,
    contentType: string
  ): void {
    const fault = takeFault(route, target)
    const status = fault?.kind === 'status' ? (fault.status ?? 503) : 200
    record(route, request, target, status)
    if (!fault) {
      response.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
      if (emulator.bandwidth > 0) sendPaced(response, body, emulator.bandwidth)
      else response.end(body)
      return
    }
    applyFault(fault, response, body, contentType)
  }

  function applyFault(
    fault: Fault,
    response: http.ServerResponse,
    body: Buffer,
    contentType: string
  ): void {
    const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)))
    switch (fault.kind) {
      case 'status':
        sendText(
          response,
          fault.status ?? 503,
          fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable',
          {
            ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {})
          }
        )
        return
      case 'error200':
        sendText(response, 200, 'Entry not found')
        return
      case 'reset':
        response.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
        response.write(half, () => response.socket?.resetAndDestroy())
        return
      case 'truncate':
        response.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
        response.write(half, () => response.socket?.end())
        return
      case 'stall':
        response.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
        response.write(half)
        stalled.add(response)
        response.on('close', () => stalled.delete(response))
        return
    }
  }

  function checkCredentials(params: URLSearchParams): { status: number; text: string } | undefined {
    const valid =
      params.get('key') === credentials.apiKey &&
      params.get('email') === credentials.email &&
      params.get('userKey') === credentials.userKey
    if (!valid) return { status: 401, text: 'Invalid request! Wrong API key, email or user key.' }
    if (credentials.secKey && params.get('secKey') !== credentials.secKey) {
      return {
        status: 403,
        text: 'Invalid request! Secure API calls are enabled: a valid secKey is required.'
      }
    }
    return undefined
  }

  function metadataOf(entry: StoredEntry): Record<string, unknown> {
    const additionalData: Record<string, string> = {
      createdAt: '1684174761490',
      lastAccessed: '1684174761490',
      fileSize: String(files.get(entry.originalId)?.bytes.length ?? 0),
      tags: (entry.spec.tags ?? []).join(',')
    }
    for (const [format, storageId] of entry.derived) {
      additionalData[`${format}HologramStorageID`] = storageId
      additionalData[`${format}HologramStorageFilename`] =
        `${baseName(entry.spec.filename)}.${format}`
    }
    const hologram: Record<string, unknown> = {
      id: uuidFor(`${entry.spec.id}:hologram`),
      type: 'MODEL_HOLOGRAM',
      targetID: uuidFor(`${entry.spec.id}:target`),
      filename: entry.spec.filename,
      storageID: entry.originalId
    }
    if (entry.materialId) {
      hologram.materialFilename = entry.spec.material
      hologram.materialStorageID = entry.materialId
    }
    if (entry.textureIds.length > 0) {
      hologram.textureFilenames = entry.spec.textures
      hologram.textureStorageIDs = entry.textureIds
    }
    return {
      id: entry.spec.id,
      target: { id: hologram.targetID, type: 'BRICK_TARGET', holograms: [hologram.id] },
      hologram,
      sdks: [true, true, false, true, false, false, false, true, true],
      additionalData
    }
  }

  function selectEntries(params: URLSearchParams): StoredEntry[] {
    const all = [...entries.values()]
    const list = (name: string): string[] => (params.get(name) ?? '').split(',').filter(Boolean)
    if (params.has('entries') || params.has('entry')) {
      const ids = [...list('entries'), ...list('entry')]
      return ids.flatMap(id => entries.get(id) ?? [])
    }
    if (params.has('tags'))
      return all.filter(entry => list('tags').some(tag => entry.spec.tags?.includes(tag)))
    if (params.has('filters'))
      return all.filter(entry => list('filters').every(tag => entry.spec.tags?.includes(tag)))
    if (params.has('filename'))
      return all.filter(entry => entry.spec.filename === params.get('filename'))
    return all
  }

  function handleQuery(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    params: URLSearchParams
  ): void {
    const storageId = params.get('file')
    if (storageId !== null) {
      if (!files.has(storageId)) {
        record('redirect', request, storageId, 404)
        sendText(response, 404, 'File not found')
        return
      }
      record('redirect', request, storageId, 302)
      const location = `${emulator.storageUrl}/files/${encodeURIComponent(storageId)}?token=${storageToken}`
      response.writeHead(302, { location, 'content-length': 0 })
      response.end()
      return
    }
    const db = Object.fromEntries(
      selectEntries(params).map(entry => [entry.spec.id, metadataOf(entry)])
    )
    const body = Buffer.from(JSON.stringify({ apiKey: credentials.apiKey, db }))
    serveBytes(request, response, 'query', [...params.keys()].join(','), body, 'application/json')
  }

  async function handleDownload(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    params: URLSearchParams
  ): Promise<void> {
    const entryId = params.get('entryId') ?? ''
    const entry = entries.get(entryId)
    if (!entry) {
      record('download', request, entryId, 404)
      sendText(response, 404, 'Entry not found')
      return
    }
    const format = (params.get('fileFormat') ?? '').toLowerCase()
    let storageId = format ? emulator.storageIdOf(entryId, format as ModelFormat) : entry.originalId
    if (!storageId) {
      if (params.get('convertMissing') !== 'true' || !isModelFormat(format)) {
        record('download', request, entryId, 404)
        sendText(response, 404, `Invalid request! No ${format} file for this entry.`)
        return
      }
      if (!(entry.spec.convertible ?? MODEL_FORMATS).includes(format)) {
        record('download', request, entryId, 400)
        sendText(
          response,
          400,
          `Invalid request! This asset does not support conversion to ${format}.`
        )
        return
      }
      const clientGone = new AbortController()
      response.on('close', () => clientGone.abort())
      const waited = await sleep(emulator.conversionDelayMs, true, {
        signal: AbortSignal.any([clientGone.signal, pendingConversions.signal])
      }).catch(() => false)
      if (!waited || response.destroyed) return
      storageId = entry.derived.get(format) ?? addDerived(entry, format)
    }
    if (emulator.downloadRedirect) {
      record('redirect', request, storageId, emulator.downloadRedirect)
      const location = `${emulator.storageUrl}/files/${encodeURIComponent(storageId)}?token=${storageToken}`
      response.writeHead(emulator.downloadRedirect, { location, 'content-length': 0 })
      response.end()
      return
    }
    const file = files.get(storageId)
    if (file)
      serveBytes(
        request,
        response,
        'download',
        `${entryId}:${format}`,
        file.bytes,
        file.contentType
      )
  }

  async function readParams(request: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
    const params = new URLSearchParams(url.search)
    if (request.method !== 'POST') return params
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      params.set(name, value)
    return params
  }

  const api = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator')
    readParams(request, url)
      .then(async params => {
        if (url.pathname !== '/query' && url.pathname !== '/download') {
          sendText(response, 404, 'Not found')
          return
        }
        const refusal = checkCredentials(params)
        if (refusal) {
          record(url.pathname === '/query' ? 'query' : 'download', request, '', refusal.status)
          sendText(response, refusal.status, refusal.text)
          return
        }
        if (url.pathname === '/query') handleQuery(request, response, params)
        else if (request.method === 'POST') await handleDownload(request, response, params)
        else sendText(response, 405, 'Use POST')
      })
      .catch(() => response.destroy())
  })

  const storage = http.createServer((request, response) => {
    const stats = emulator.storageStats
    stats.inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    response.on('close', () => stats.inFlight--)
    const url = new URL(request.url ?? '/', 'http://storage')
    const storageId = decodeURIComponent(url.pathname.replace(/^\/files\//, ''))
    const file = files.get(storageId)
    if (url.searchParams.get('token') !== storageToken || !file) {
      record('file', request, storageId, file ? 403 : 404)
      sendText(response, file ? 403 : 404, file ? 'Forbidden' : 'Not found')
      return
    }
    setTimeout(
      () => serveBytes(request, response, 'file', storageId, file.bytes, file.contentType),
      emulator.storageLatencyMs
    )
  })

  storage.on('connection', () => emulator.storageStats.connections++)
  emulator.apiUrl = await listen(api)
  emulator.storageUrl = await listen(storage)
  return emulator
}

/** Sends a body in slices, each after the time the bandwidth allows for the bytes before it. */
function sendPaced(response: http.ServerResponse, body: Buffer, bytesPerSecond: number): void {
  const slice = 256 * 1024
  const started = Date.now()
  const sendFrom = (offset: number): void => {
    if (response.destroyed) return
    if (offset >= body.length) {
      response.end()
      return
    }
    response.write(body.subarray(offset, offset + slice))
    const next = offset + slice
    const due = started + (next / bytesPerSecond) * 1000
    setTimeout(() => sendFrom(next), Math.max(0, due - Date.now()))
  }
  sendFrom(0)
}

function isSampleFormat(format: string): format is SampleFormat {
  return ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl', 'mtl', 'png'].includes(format)
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
