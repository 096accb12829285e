// Plain answers that both hosts of the emulator give. echo3D words its errors as plain text, at
// times with status 200, which is why the action cannot go by the status alone.
import type http from 'node:http'

export function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
  headers: http.OutgoingHttpHeaders = {}
): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
  response.end(text)
}

export function redirect(response: http.ServerResponse, status: number, location: string): void {
  response.writeHead(status, { location, 'content-length': 0 })
  response.end()
}
