// The requests the action makes of echo3D (docs/echo3d-api.md), and the metadata queries.
// Credentials go in form bodies wherever the API allows it.

import { errorMessage } from '../../errors.js'
import type { AssetFormat } from '../../formats.js'
import type { Credentials } from '../../model.js'
import { readWholeBody, send, type Connections, type HttpRequest } from '../transfer/http.js'
import { withRetries } from '../transfer/retry.js'
import type { EnginePorts } from '../ports.js'
import { parseQueryResponse, type EntryInfo } from './metadata.js'

export class Echo3dClient {
  constructor(
    private readonly apiUrl: URL,
    private readonly credentials: Credentials
  ) {}

  private credentialFields(): Record<string, string> {
    return {
      key: this.credentials.apiKey,
      email: this.credentials.email,
      userKey: this.credentials.userKey,
      secKey: this.credentials.secretKey
    }
  }

  private endpoint(pathname: string): URL {
    const url = new URL(this.apiUrl)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`
    return url
  }

  queryRequest(selector: Record<string, string>, description: string): HttpRequest {
    return {
      method: 'POST',
      url: this.endpoint('/query'),
      form: { ...this.credentialFields(), ...selector },
      description
    }
  }

  /** The API documents only GET for file downloads, so these credentials ride in the URL: never log it. */
  fileRequest(storageId: string): HttpRequest {
    const url = this.endpoint('/query')
    for (const [name, value] of Object.entries({ ...this.credentialFields(), file: storageId })) {
      url.searchParams.set(name, value)
    }
    return { method: 'GET', url, description: `download of storage ID ${storageId}` }
  }

  conversionRequest(entryId: string, format: AssetFormat): HttpRequest {
    return {
      method: 'POST',
      url: this.endpoint('/download'),
      form: { ...this.credentialFields(), entryId, fileFormat: format, convertMissing: 'true' },
      description: `${format} conversion of entry ${entryId}`
    }
  }
}

/** Entries per metadata query: few enough that a form body stays small. */
const QUERY_BATCH_SIZE = 100
const METADATA_HEADERS_TIMEOUT_MS = 120_000
const METADATA_STALL_TIMEOUT_MS = 60_000
/** Far more than the metadata of a query's 100 entries, or of every entry of a large tag. */
const MAX_METADATA_BYTES = 32 * 1024 * 1024

/** A conversation with echo3D: the requests, the run's connections, and how often and how long to try. */
export interface Echo3dSession {
  client: Echo3dClient
  connections: Connections
  retries: number
  /** The longest one request may take, its retries included. */
  timeoutMs: number
}

/** The ports a request reports to: its retries, the credentials to keep out of quotes, the time. */
export type RequestPorts = Pick<EnginePorts, 'emit' | 'redactor' | 'clock'>

/** Resolves entry IDs to metadata with one query per batch. */
export async function queryEntries(
  session: Echo3dSession,
  ports: RequestPorts,
  ids: readonly string[]
): Promise<EntryInfo[]> {
  const found: EntryInfo[] = []
  for (let start = 0; start < ids.length; start += QUERY_BATCH_SIZE) {
    const batch = ids.slice(start, start + QUERY_BATCH_SIZE)
    const request = session.client.queryRequest(
      { entries: batch.join(',') },
      `metadata query for ${batch.length} entries`
    )
    found.push(...(await runQuery(session, ports, request)))
  }
  return found
}

/** Every entry that has any of the tags. */
export async function queryTags(
  session: Echo3dSession,
  ports: RequestPorts,
  tags: readonly string[]
): Promise<EntryInfo[]> {
  const request = session.client.queryRequest(
    { tags: tags.join(',') },
    `metadata query for tags ${tags.join(', ')}`
  )
  return runQuery(session, ports, request)
}

/** Every entry of the collection, or those with any of the tags. */
export async function queryCollection(
  session: Echo3dSession,
  ports: RequestPorts,
  tags: readonly string[]
): Promise<EntryInfo[]> {
  if (tags.length > 0) return queryTags(session, ports, tags)
  const request = session.client.queryRequest({}, 'metadata query for the whole collection')
  return runQuery(session, ports, request)
}

async function runQuery(
  session: Echo3dSession,
  ports: RequestPorts,
  request: HttpRequest
): Promise<EntryInfo[]> {
  const { clock, redactor, emit } = ports
  const { retries, timeoutMs } = session
  const options = {
    clock,
    retries,
    timeoutMs,
    deadline: clock.now() + timeoutMs,
    onRetry: (attempt: number, delayMs: number, error: unknown) =>
      emit({ kind: 'retrying', attempt, retries, delayMs, reason: errorMessage(error) })
  }
  return withRetries(async signal => {
    const response = await send(session.connections, request, {
      headersTimeoutMs: METADATA_HEADERS_TIMEOUT_MS,
      stallTimeoutMs: METADATA_STALL_TIMEOUT_MS,
      signal,
      redactor
    })
    const body = await readWholeBody(response.body, MAX_METADATA_BYTES, request.description)
    return parseQueryResponse(parseJson(body))
  }, options)
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}
