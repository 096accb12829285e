// Every request to echo3D goes through here: one keep-alive connection pool for the whole run, the
// redirect rules for requests that carry credentials (docs/decisions/0004), and timeouts set per
// request, since undici's 300 s defaults would cut a conversion the user allowed 20 minutes for.

import type { IncomingHttpHeaders } from 'node:http'
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { HttpStatusError, ProtocolError, TimeoutError, TooLargeError } from '../../errors.js'
import { formatBytes } from '../../format.js'
import type { Redactor } from '../../secrets.js'
import { ResponseBody, type BodySource } from './body-source.js'
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

export interface RequestLimits {
  /** How long to wait for the status line and headers. */
  headersTimeoutMs: number
  /** How long the body may go without a byte before it counts as stalled. */
  stallTimeoutMs: number
  /** Ends the request when the asset's own `timeout` runs out. */
  signal: AbortSignal
}

/** A response whose body has not been read yet: it must be read or destroyed. */
export interface HttpResponse {
  statusCode: number
  headers: IncomingHttpHeaders
  body: BodySource
}

const MAX_REDIRECTIONS = 5
/** How much of an error body is read, and how much of it a message quotes. */
const ERROR_BODY_READ_BYTES = 2048
/** How much of a redirect's body is read before the connection is dropped instead. */
const DISCARDED_BODY_BYTES = 64 * 1024
const ERROR_EXCERPT_CHARACTERS = 300

/**
 * The run's keep-alive connections, through the proxy where one is set, and the credentials'
 * redactor for quoting what servers say. Redirects are followed by the rules in `send`, not by
 * undici.
 */
export class Connections {
  private readonly direct: Agent
  private readonly proxied: EnvHttpProxyAgent

  constructor(
    concurrency: number,
    readonly redactor: Redactor,
    proxy: ProxySettings
  ) {
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
  limits: RequestLimits,
  chain: RedirectChain = { current: httpRequest }
): Promise<HttpResponse> {
  let current = httpRequest
  for (let hops = 0; ; hops++) {
    chain.current = current
    const response = await dispatch(connections.dispatcherFor(current.url), current, limits)
    const location = headerValue(response.headers.location)
    if (!REDIRECT_STATUSES.has(response.statusCode) || !location) {
      return succeeded(response, connections.redactor)
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
  const target = new URL(location, from.url)
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

/**
 * One request, through undici's dispatch rather than its `request`, whose body is a Readable: see
 * body-source.ts for why no stream carries a body.
 */
function dispatch(
  dispatcher: Dispatcher,
  httpRequest: HttpRequest,
  limits: RequestLimits
): Promise<HttpResponse> {
  const { url } = httpRequest
  return new Promise<HttpResponse>((resolve, reject) => {
    const handler = new ResponseHandler(limits.signal, resolve, reject)
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: httpRequest.method,
        headers: {
          'user-agent': 'echo3d-assets-action',
          ...(httpRequest.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {})
        },
        body: httpRequest.form ? new URLSearchParams(httpRequest.form).toString() : undefined,
        headersTimeout: limits.headersTimeoutMs,
        bodyTimeout: limits.stallTimeoutMs
      },
      handler
    )
  }).catch((error: unknown) => {
    throw describeTimeout(error, limits)
  })
}

/**
 * Hands undici's response to `send` as soon as its headers are in, and its body to the
 * ResponseBody. The signal ends the request at any point, queued, waiting or receiving.
 */
class ResponseHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined
  private body: ResponseBody | undefined
  private readonly abortOnSignal = (): void => this.abort()

  constructor(
    private readonly signal: AbortSignal,
    private readonly resolve: (response: HttpResponse) => void,
    private readonly reject: (error: Error) => void
  ) {
    signal.addEventListener('abort', this.abortOnSignal, { once: true })
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.signal.aborted) this.abort()
  }

  /** Informational answers (1xx, such as 103 Early Hints) come first, and are passed over. */
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders
  ): void {
    if (statusCode < 200) return
    if (this.body) {
      controller.abort(new ProtocolError('the server answered one request twice'))
      return
    }
    this.body = new ResponseBody(controller)
    this.resolve({ statusCode, headers, body: this.body })
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.received(chunk)
  }

  onResponseEnd(): void {
    this.done('ended')
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.done(error)
  }

  private abort(): void {
    const reason = signalReason(this.signal)
    this.controller?.abort(reason)
    this.done(reason)
  }

  private done(outcome: 'ended' | Error): void {
    this.signal.removeEventListener('abort', this.abortOnSignal)
    if (this.body) this.body.finished(outcome)
    else
      this.reject(outcome === 'ended' ? new Error('the response ended before it began') : outcome)
  }
}

function signalReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the request was aborted')
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
  body: BodySource,
  maxBytes: number,
  description: string
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let length = 0
  await body.deliverTo(chunk => {
    length += chunk.length
    if (length > maxBytes) {
      throw new TooLargeError(
        `the answer to the ${description} is larger than ${formatBytes(maxBytes)}, more than echo3D sends for it; check \`api-url\` and any proxy in between`
      )
    }
    chunks.push(chunk)
    return undefined
  })
  return Buffer.concat(chunks)
}

/** Reads a body that nobody needs, when it is short; a longer one costs its connection instead. */
async function discard(body: BodySource): Promise<void> {
  let length = 0
  await body
    .deliverTo(chunk => {
      length += chunk.length
      return length > DISCARDED_BODY_BYTES ? 'enough' : undefined
    })
    .catch(() => undefined)
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
async function readStart(body: BodySource): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  await body
    .deliverTo(chunk => {
      chunks.push(chunk)
      length += chunk.length
      return length >= ERROR_BODY_READ_BYTES ? 'enough' : undefined
    })
    // An error body that breaks off still tells the status; the excerpt is a courtesy.
    .catch(() => undefined)
  return Buffer.concat(chunks).toString('utf8', 0, ERROR_BODY_READ_BYTES)
}
