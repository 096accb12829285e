import { Agent, interceptors, request, type Dispatcher } from 'undici'
import { HttpStatusError, TimeoutError } from '../errors.js'

/**
 * One keep-alive connection pool for the whole run. Timeouts are set per request: undici's
 * 300 s defaults would cut a conversion that the user allowed 20 minutes for.
 */
export interface HttpRequest {
  method: 'GET' | 'POST'
  /** May carry credentials in its query: never log it. */
  url: URL
  /** Sent as application/x-www-form-urlencoded, so that credentials stay out of URLs. */
  form?: Record<string, string>
  /** What logs and errors may say about this request. */
  description: string
}

export interface RequestLimits {
  /** How long to wait for the status line and headers. */
  headersTimeoutMs: number
  /** How long the body may go without a byte before it counts as stalled. */
  stallTimeoutMs: number
  /** Ends the request when the asset's own `timeout` runs out. */
  signal: AbortSignal
}

const MAX_REDIRECTIONS = 5
const ERROR_EXCERPT_BYTES = 300

export function createHttpAgent(concurrency: number): Dispatcher {
  return new Agent({
    connections: concurrency,
    keepAliveTimeout: 30_000,
    headersTimeout: 0,
    bodyTimeout: 0
  }).compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }))
}

/** Sends the request and returns a successful response; any other status becomes an HttpStatusError. */
export async function send(
  agent: Dispatcher,
  httpRequest: HttpRequest,
  limits: RequestLimits
): Promise<Dispatcher.ResponseData> {
  const response = await request(httpRequest.url, {
    dispatcher: agent,
    method: httpRequest.method,
    headers: {
      'user-agent': 'echo3d-assets-action',
      ...(httpRequest.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {})
    },
    body: httpRequest.form ? new URLSearchParams(httpRequest.form).toString() : undefined,
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.stallTimeoutMs,
    signal: limits.signal
  }).catch(error => {
    throw describeTimeout(error, limits)
  })
  if (response.statusCode >= 200 && response.statusCode < 300) return response
  const excerpt = await readExcerpt(response.body)
  throw new HttpStatusError(
    response.statusCode,
    excerpt,
    headerValue(response.headers['retry-after'])
  )
}

/** undici's timeout errors say nothing a user can act on; these say which limit ran out. */
export function describeTimeout(
  error: unknown,
  limits: Pick<RequestLimits, 'headersTimeoutMs' | 'stallTimeoutMs'>
): unknown {
  const code = (error as { code?: unknown } | undefined)?.code
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError(
      `the download stalled: no data for ${seconds(limits.stallTimeoutMs)}`,
      true
    )
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new TimeoutError(
      `echo3D did not answer within ${seconds(limits.headersTimeoutMs)}`,
      true
    )
  }
  return error
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function seconds(milliseconds: number): string {
  return `${Math.round(milliseconds / 100) / 10} s`
}

async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer)
      length += (chunk as Buffer).length
      if (length >= ERROR_EXCERPT_BYTES) break
    }
  } catch {
    // An error body that breaks off still tells the status; the excerpt is a courtesy.
  } finally {
    body.destroy()
  }
  return Buffer.concat(chunks).toString('utf8', 0, ERROR_EXCERPT_BYTES).replace(/\s+/g, ' ').trim()
}
