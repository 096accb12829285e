// Fault injection: a test queues the failures it wants, and the next requests that match get them
// in place of their normal answer. Each kind imitates something the action must survive in
// production: an error status, a reset or cut-short connection, a stalled body, or an error text
// sent with status 200. Pacing imitates a slow network for the same reason.
import type http from 'node:http'
import { sendText } from './replies.ts'

/** `redirect` is the API's answer to a file download, before the storage host: status faults only. */
export type Route = 'query' | 'file' | 'download' | 'redirect'
type FaultKind = 'status' | 'reset' | 'truncate' | 'stall' | 'error200'

export interface Fault {
  route: Route
  kind: FaultKind
  /** How many requests it hits; default 1. */
  times?: number
  status?: number
  retryAfter?: string
  /** A status fault's body, for a server that says more than its status (an echo, say). */
  text?: string
  /** Only requests whose storage or entry ID contains this. */
  match?: string
}

export class Faults {
  private readonly queued: Fault[] = []
  // A stalled response never ends by itself: closing the emulator must destroy it.
  private readonly stalled = new Set<http.ServerResponse>()

  add(fault: Fault): void {
    this.queued.push({ times: 1, ...fault })
  }

  clear(): void {
    this.queued.splice(0)
  }

  /** The first queued fault for this request, counted as used once. */
  take(route: Route, target: string): Fault | undefined {
    const index = this.queued.findIndex(
      fault => fault.route === route && (!fault.match || target.includes(fault.match))
    )
    if (index === -1) return undefined
    const fault = this.queued[index]
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) this.queued.splice(index, 1)
    return fault
  }

  /** Answers with the fault in place of the body. */
  apply(fault: Fault, response: http.ServerResponse, body: Buffer, contentType: string): void {
    switch (fault.kind) {
      case 'status':
        sendStatus(fault, response)
        return
      case 'error200':
        sendText(response, 200, 'Entry not found')
        return
      case 'reset':
        sendHalf(response, body, contentType, () => response.socket?.resetAndDestroy())
        return
      case 'truncate':
        sendHalf(response, body, contentType, () => response.socket?.end())
        return
      case 'stall':
        sendHalf(response, body, contentType)
        this.holdOpen(response)
        return
    }
  }

  releaseStalled(): void {
    for (const response of this.stalled) response.destroy()
  }

  private holdOpen(response: http.ServerResponse): void {
    this.stalled.add(response)
    response.on('close', () => this.stalled.delete(response))
  }
}

/** Sends a body in slices, each after the time the bandwidth allows for the bytes before it. */
export function sendPaced(
  response: http.ServerResponse,
  body: Buffer,
  bytesPerSecond: number
): void {
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

function sendStatus(fault: Fault, response: http.ServerResponse): void {
  const text = fault.text ?? (fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable')
  const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}
  sendText(response, fault.status ?? 503, text, headers)
}

// Promises the whole body in content-length but sends only its first half, then lets the fault
// decide what happens to the connection.
function sendHalf(
  response: http.ServerResponse,
  body: Buffer,
  contentType: string,
  afterwards?: () => void
): void {
  const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)))
  response.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
  response.write(half, afterwards)
}
