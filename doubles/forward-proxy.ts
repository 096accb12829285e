// A forward proxy of the kind companies put in front of their runners: it opens CONNECT tunnels,
// logs each one, and can ask for credentials. It reaches every `.test` host on loopback, so that
// names such as api.echo3d.test work without DNS, and only through it.
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ForwardProxy {
  /** The proxy's URL, with the credentials it asks for, if any. */
  url: string
  /** Every tunnel asked for, as host:port. */
  tunnels: string[]
  close(): Promise<void>
}

export interface ForwardProxyOptions {
  /** `user:password` that the proxy requires (Proxy-Authorization: Basic). */
  credentials?: string
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const tunnels: string[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((_request, response) => {
    response.writeHead(405)
    response.end('only CONNECT')
  })
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client)
    const target = request.url ?? ''
    tunnels.push(target)
    if (!authorized(request, options.credentials)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n')
      return
    }
    openTunnel(target, client, head, sockets)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const userInfo = options.credentials ? `${options.credentials}@` : ''
  return {
    url: `http://${userInfo}127.0.0.1:${port}`,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

function authorized(request: http.IncomingMessage, credentials: string | undefined): boolean {
  if (!credentials) return true
  const expected = `Basic ${Buffer.from(credentials).toString('base64')}`
  return request.headers['proxy-authorization'] === expected
}

function openTunnel(
  target: string,
  client: net.Socket,
  head: Buffer,
  sockets: Set<net.Socket>
): void {
  const [host, port] = target.split(':')
  if (!host.endsWith('.test') && host !== '127.0.0.1') {
    client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    return
  }
  const upstream = net.connect(Number(port), '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  sockets.add(upstream)
  const closeBoth = (): void => {
    client.destroy()
    upstream.destroy()
  }
  upstream.on('error', closeBoth)
  client.on('error', closeBoth)
}
