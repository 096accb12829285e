// A loopback server whose answers a test writes itself: the hostile echo3D, storage host or proxy
// that the attack tests need, beside the faithful emulator.
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'

export type Script = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
  body: string
) => void

export interface ScriptedServer {
  url: string
  /** Every request, as method and URL (path and query). */
  requests: string[]
  close(): Promise<void>
}

/** A certificate and its key, in PEM, for a server that speaks https. */
export interface Tls {
  key: string
  cert: string
}

export async function startScriptedServer(script: Script, tls?: Tls): Promise<ScriptedServer> {
  const requests: string[] = []
  const answer = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    requests.push(`${request.method} ${request.url}`)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => script(request, response, Buffer.concat(chunks).toString('utf8')))
  }
  const server = tls ? https.createServer(tls, answer) : http.createServer(answer)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections()
      return new Promise(resolve => server.close(() => resolve()))
    }
  }
}

/** Writes `chunk` again and again until the client goes away. */
export function sendForever(response: http.ServerResponse, chunk: Buffer): void {
  const more = (): void => {
    let room = true
    while (room && !response.destroyed) room = response.write(chunk)
    if (!response.destroyed) response.once('drain', more)
  }
  more()
}
