// A company's runner reaches the internet through its proxy. echo3D traffic honours the same
// settings as @actions/http-client (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case, the lower-case
// name first), and, like it, never sends a loopback host through the proxy.

export interface ProxySettings {
  /** The proxy for http:// targets; '' for none. */
  httpProxy: string
  /** The proxy for https:// targets; '' for none (then httpProxy serves both). */
  httpsProxy: string
  /** Hosts reached directly: a comma or space separated list, `*` for all. */
  noProxy: string
}

export const NO_PROXY: ProxySettings = { httpProxy: '', httpsProxy: '', noProxy: '' }

export function proxySettingsFrom(env: Record<string, string | undefined>): ProxySettings {
  return {
    httpProxy: env.http_proxy || env.HTTP_PROXY || '',
    httpsProxy: env.https_proxy || env.HTTPS_PROXY || '',
    noProxy: env.no_proxy || env.NO_PROXY || ''
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/** The user names and passwords that proxy URLs carry: credentials like any other. */
export function proxyCredentials(proxy: ProxySettings): string[] {
  return [proxy.httpProxy, proxy.httpsProxy].flatMap(proxyUrl => {
    if (!URL.canParse(proxyUrl)) return []
    const { username, password } = new URL(proxyUrl)
    return [username, password].filter(Boolean).flatMap(part => [part, decodedOrSame(part)])
  })
}

/** A proxy password with a stray `%` is not percent-encoded: it stands as it is. */
function decodedOrSame(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}
