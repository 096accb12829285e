// Every request to echo3D goes through here: one keep-alive connection pool for the whole run, the
// redirect rules for requests that carry credentials (docs/decisions/0004), and timeouts set per
// request, since undici's 300 s defaults would cut a conversion the user allowed 20 minutes for.

import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import { HttpStatusError, ProtocolError, TimeoutError, TooLargeError } from '../../errors.js'
import { formatBytes } from '../../quantities.js'
import type { Redactor } from '../../secrets.js'
import { isLoopbackHost, type ProxySettings } from './proxy.js'

export interface HttpRequest {
  method: 'GET' | 'POST'
  /** May carry credentials in its query: never log it. */
  url: URL
  /** Sent as application/x-www-form-urlencoded, so that credentials stay out of URLs. */
  form?: Record<string, string>
  /** What logs and errors may say about this request. */
  description: string
}

export interface RequestOptions {
  /** How long to wait for the status line and headers. */
  headersTimeoutMs: number
  /** How long the body may go without a byte before it counts as stalled. */
  stallTimeoutMs: number
  /** Ends the request when the asset's own `timeout` runs out. */
  signal: AbortSignal
  /** Keeps the credentials out of an error body that a message quotes. */
  redactor: Redactor
}

/** A response whose body has not been read yet: it must be read or destroyed. */
export interface HttpResponse {
  statusCode: number
  headers: IncomingHttpHeaders
  /** A Readable, which also knows how to drop what is left of itself. */
  body: Dispatcher.ResponseData['body']
}

const MAX_REDIRECTIONS = 5
/** How much of an error body is read, and how much of it a message quotes. */
const ERROR_BODY_READ_BYTES = 2048
/** How much of a redirect's body is read before the connection is dropped instead. */
const DISCARDED_BODY_BYTES = 64 * 1024
const ERROR_EXCERPT_CHARACTERS = 300

/**
 * The run's keep-alive connections, through the proxy where one is set. Redirects are followed by
 * the rules in `send`, not by undici.
 */
export class Connections {
  private readonly direct: Agent
  private readonly proxied: EnvHttpProxyAgent

  constructor(concurrency: number, proxy: ProxySettings) {
    const options = {
      connections: concurrency,
      keepAliveTimeout: 30_000,
      headersTimeout: 0,
      bodyTimeout: 0
    }
    this.direct = new Agent(options)
    this.proxied = new EnvHttpProxyAgent({ ...options, ...proxy })
  }

  dispatcherFor(url: URL): Dispatcher {
    return isLoopbackHost(url.hostname) ? this.direct : this.proxied
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), this.proxied.close()])
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Where a request's redirects have led it: the request that `send` sent last. */
export interface RedirectChain {
  current: HttpRequest
}

/**
 * Sends the request, following redirects, and returns a successful response; any other status
 * becomes an HttpStatusError. A POST's form holds the credentials, which must never reach another
 * host: a redirected POST is followed as a GET (301, 302, 303), or re-sent only to its own origin
 * (307, 308). No redirect leads from https to plain http.
 */
export async function send(
  connections: Connections,
  httpRequest: HttpRequest,
  options: RequestOptions,
  chain: RedirectChain = { current: httpRequest }
): Promise<HttpResponse> {
  let current = httpRequest
  for (let hops = 0; ; hops++) {
    chain.current = current
    const response = await dispatch(connections.dispatcherFor(current.url), current, options)
    const location = headerValue(response.headers.location)
    if (!REDIRECT_STATUSES.has(response.statusCode) || !location) {
      return succeeded(response, options.redactor)
    }
    await discard(response.body)
    if (hops === MAX_REDIRECTIONS) {
      throw new ProtocolError(
        `the ${httpRequest.description} was redirected more than ${MAX_REDIRECTIONS} times`
      )
    }
    current = redirected(current, response.statusCode, location)
  }
}

/** The request a redirect asks for, or a ProtocolError when following it would be unsafe. */
export function redirected(from: HttpRequest, status: number, location: string): HttpRequest {
  // URL.parse, not new URL: the error of a Location that cannot be read would carry the URL it
  // was read against, credentials and all.
  const target = URL.parse(location, from.url.href)
  if (!target) {
    throw new ProtocolError(
      `echo3D redirected the ${from.description} to a location that is not a URL; the redirect was not followed. Report this to echo3D support`
    )
  }
  if (from.url.protocol === 'https:' && target.protocol !== 'https:') {
    throw new ProtocolError(
      `echo3D redirected the ${from.description} from https to ${target.protocol.replace(':', '')}, which anyone on the way could read or change; the redirect was not followed. Report this to echo3D support`
    )
  }
  const keepsMethod = status === 307 || status === 308
  if (from.method === 'GET' || !keepsMethod) {
    return { method: 'GET', url: target, description: from.description }
  }
  if (target.origin !== from.url.origin) {
    throw new ProtocolError(
      `echo3D redirected the ${from.description} to ${target.origin} with HTTP ${status}, which would send the credentials there too; the request was not re-sent. Report this to echo3D support`
    )
  }
  return { ...from, url: target }
}

/** One request, with the limits of its asset; redirects are `send`'s to follow. */
async function dispatch(
  dispatcher: Dispatcher,
  httpRequest: HttpRequest,
  limits: RequestOptions
): Promise<HttpResponse> {
  try {
    const { statusCode, headers, body } = await request(httpRequest.url, {
      dispatcher,
      method: httpRequest.method,
      headers: {
        'user-agent': 'echo3d-assets-action',
        ...(httpRequest.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {})
      },
      body: httpRequest.form ? new URLSearchParams(httpRequest.form).toString() : undefined,
      headersTimeout: limits.headersTimeoutMs,
      bodyTimeout: limits.stallTimeoutMs,
      signal: limits.signal
    })
    return { statusCode, headers, body }
  } catch (error) {
    throw describeTimeout(error, limits)
  }
}

async function succeeded(response: HttpResponse, redactor: Redactor): Promise<HttpResponse> {
  if (response.statusCode >= 200 && response.statusCode < 300) return response
  const excerpt = await quotedBody(response, redactor)
  throw new HttpStatusError(
    response.statusCode,
    excerpt,
    headerValue(response.headers['retry-after'])
  )
}

/**
 * A whole body in memory, for answers that are small by nature (metadata): one that grows past
 * `maxBytes` is refused, so that an endless answer cannot fill memory.
 */
export async function readWholeBody(
  body: Readable,
  maxBytes: number,
  description: string
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length
    if (length > maxBytes) {
      throw new TooLargeError(
        `the answer to the ${description} is larger than ${formatBytes(maxBytes)}, more than echo3D sends for it; check \`api-url\` and any proxy in between`
      )
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Reads a body that nobody needs, when it is short; a longer one costs its connection instead. */
async function discard(body: HttpResponse['body']): Promise<void> {
  await body.dump({ limit: DISCARDED_BODY_BYTES }).catch(() => undefined)
}

/** undici's timeout errors say nothing a user can act on; these say which limit ran out. */
export function describeTimeout(
  error: unknown,
  limits: Pick<RequestOptions, 'headersTimeoutMs' | 'stallTimeoutMs'>
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

/** Statuses whose bodies are never quoted: an answer to refused credentials may echo them. */
const UNQUOTED_STATUSES = new Set([401, 403, 407])

async function quotedBody(response: HttpResponse, redactor: Redactor): Promise<string> {
  if (UNQUOTED_STATUSES.has(response.statusCode)) {
    await discard(response.body)
    return ''
  }
  return redactor.excerpt(await readStart(response.body), ERROR_EXCERPT_CHARACTERS)
}

/** The start of an error body: enough to quote, never more. */
async function readStart(body: Readable): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      length += chunk.length
      if (length >= ERROR_BODY_READ_BYTES) break
    }
  } catch {
    // An error body that breaks off still tells the status; the excerpt is a courtesy.
  }
  return Buffer.concat(chunks).toString('utf8', 0, ERROR_BODY_READ_BYTES)
}
