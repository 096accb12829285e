// A loopback double of the GitHub Actions artifact service as @actions/artifact talks to it: the
// results service's twirp endpoints (CreateArtifact, FinalizeArtifact) and a blob store that
// accepts the Azure block uploads the library makes. Tests then unzip what arrived.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { inflateRawSync } from 'node:zlib'
import { BlobStore, readBody } from './azure-blob.ts'
import { runtimeToken } from './cache-service.ts'

interface UploadedArtifact {
  id: number
  name: string
  expiresAt?: string
  finalized: boolean
  size?: string
  hash?: string
  content: Buffer
}

export interface ArtifactDouble {
  url: string
  /** An ACTIONS_RUNTIME_TOKEN the library accepts: a JWT whose scope names the run and job. */
  runtimeToken: string
  artifacts: UploadedArtifact[]
  close(): Promise<void>
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/'

export async function startArtifactDouble(): Promise<ArtifactDouble> {
  const artifacts: UploadedArtifact[] = []
  const store = { artifacts, blobs: new BlobStore(), url: '' }
  const server = http.createServer((request, response) => {
    readBody(request).then(
      body => answer(store, request, body, response),
      () => response.destroy()
    )
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  store.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: store.url,
    runtimeToken: runtimeToken(),
    artifacts,
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

/** What the service holds: the artifacts, their uploaded blocks, and where it listens. */
interface ArtifactStore {
  artifacts: UploadedArtifact[]
  blobs: BlobStore
  url: string
}

function answer(
  store: ArtifactStore,
  request: http.IncomingMessage,
  body: Buffer,
  response: http.ServerResponse
): void {
  const url = new URL(request.url ?? '/', 'http://artifacts')
  const reply = (status: number, payload: object): void => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(payload))
  }
  const blob = /^\/blobs\/(\d+)$/.exec(url.pathname)
  if (blob) return store.blobs.handle(blob[1], request, url, body, response)
  const method = request.method === 'POST' ? url.pathname.slice(SERVICE.length) : ''
  if (url.pathname.startsWith(SERVICE) && method === 'CreateArtifact') {
    return reply(200, createArtifact(store, body))
  }
  if (url.pathname.startsWith(SERVICE) && method === 'FinalizeArtifact') {
    const finalized = finalizeArtifact(store, body)
    return finalized
      ? reply(200, finalized)
      : reply(404, { code: 'not_found', msg: 'no such artifact' })
  }
  reply(404, { code: 'not_found', msg: `${request.method} ${url.pathname}` })
}

function createArtifact(store: ArtifactStore, body: Buffer): object {
  const input = JSON.parse(body.toString()) as { name: string; expires_at?: string }
  const artifact: UploadedArtifact = {
    id: store.artifacts.length + 1000,
    name: input.name,
    expiresAt: input.expires_at,
    finalized: false,
    content: Buffer.alloc(0)
  }
  store.artifacts.push(artifact)
  return { ok: true, signed_upload_url: `${store.url}/blobs/${artifact.id}?sig=double` }
}

/** The artifact of that name, finalized with the blocks uploaded to it; undefined for none. */
function finalizeArtifact(store: ArtifactStore, body: Buffer): object | undefined {
  const input = JSON.parse(body.toString()) as { name: string; size: string; hash?: string }
  const artifact = store.artifacts.find(
    candidate => candidate.name === input.name && !candidate.finalized
  )
  if (!artifact) return undefined
  const content = store.blobs.get(String(artifact.id)) ?? Buffer.alloc(0)
  Object.assign(artifact, { finalized: true, size: input.size, hash: input.hash, content })
  return { ok: true, artifact_id: String(artifact.id) }
}

export interface ZipEntry {
  name: string
  method: number
  content: Buffer
}

/** Reads a zip through its central directory: enough to check what an artifact holds. */
export function readZip(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('not a zip: no end of central directory')
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  const entries: ZipEntry[] = []
  for (let index = 0; index < count; index++) {
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
    const data = zip.subarray(dataStart, dataStart + compressedSize)
    entries.push({ name, method, content: method === 0 ? data : inflateRawSync(data) })
    offset += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
