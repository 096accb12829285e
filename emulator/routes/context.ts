// What every route handler is given, and the answers the handlers share. Each request is recorded
// with the status it got, so that tests can assert on retries and redirects without a proxy.
import type http from 'node:http'
import type { Collection, StoredFile } from '../collection.ts'
import { sendPaced, type Faults, type Route } from '../faults.ts'
import { redirect, sendText } from '../replies.ts'
import type { Emulator, RequestRecord } from '../server.ts'

export interface EmulatorState {
  /** The public object, read on every request because tests change its settings between runs. */
  emulator: Emulator
  collection: Collection
  faults: Faults
  /** Stands for the signature of echo3D's storage URLs: only a redirect hands it out. */
  storageToken: string
  /** Aborted when the emulator closes, so that no conversion outlives it. */
  closing: AbortSignal
}

export interface RouteContext {
  state: EmulatorState
  request: http.IncomingMessage
  response: http.ServerResponse
  url: URL
  /** The query string, and on POST the form body too. */
  params: URLSearchParams
}

export type Handler = (context: RouteContext) => void | Promise<void>

function record(
  context: RouteContext,
  route: RequestRecord['route'],
  target: string,
  status: number
): void {
  const method = context.request.method ?? 'GET'
  context.state.emulator.requests.push({ route, method, target, status })
}

export function refuse(
  context: RouteContext,
  route: RequestRecord['route'],
  target: string,
  status: number,
  text: string,
  headers: Record<string, string> = {}
): void {
  record(context, route, target, status)
  sendText(context.response, status, text, headers)
}

export function redirectToStorage(context: RouteContext, status: number, storageId: string): void {
  const { emulator, storageToken } = context.state
  record(context, 'redirect', storageId, status)
  const location = `${emulator.storageUrl}/files/${encodeURIComponent(storageId)}?token=${storageToken}`
  redirect(context.response, status, location)
}

/** Serves a file, or the fault a test asked for in its place. */
export function serveBytes(
  context: RouteContext,
  route: Route,
  target: string,
  file: StoredFile
): void {
  const { emulator, faults } = context.state
  const { response } = context
  const fault = faults.take(route, target)
  record(context, route, target, fault?.kind === 'status' ? (fault.status ?? 503) : 200)
  if (fault) {
    faults.apply(fault, response, file.bytes, file.contentType)
    return
  }
  response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length })
  if (emulator.bandwidth > 0) sendPaced(response, file.bytes, emulator.bandwidth)
  else response.end(file.bytes)
}
