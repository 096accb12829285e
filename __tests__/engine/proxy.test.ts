// echo3D as the action meets it behind a company proxy: over https, under its own host names,
// which only the proxy can reach (it maps every .test name to loopback). The engine and the
// command-line program run in-process with the proxy settings the environment gives them; that
// the action reads them from the runner's environment and masks the proxy's password is checked
// end to end, in __tests__/e2e/.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startForwardProxy, type ForwardProxy } from '../../doubles/forward-proxy.ts'
import { CHAIR, DESK_LAMP, sampleEntries } from '../../emulator/sample-collection.ts'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { pullWith } from '../../harness/engine.ts'
import { runCliInProcess, trustCertificate } from '../../harness/in-process.ts'
import { proxySettingsFrom, type ProxySettings } from '../../src/engine/index.js'
import { selfSignedCertificate, startSampleEmulator } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const PROXY_PASSWORD = 'pr0xy pass!'
let emulator: Emulator
let proxy: ForwardProxy
let distrust = () => {}

beforeAll(async () => {
  const tls = await selfSignedCertificate(['api.echo3d.test', 'storage.echo3d.test', '127.0.0.1'])
  distrust = trustCertificate(tls.cert)
  emulator = await startEmulator({
    entries: sampleEntries(),
    tls: { ...tls, apiHost: 'api.echo3d.test', storageHost: 'storage.echo3d.test' }
  })
  proxy = await startForwardProxy({ credentials: `proxy-user:${PROXY_PASSWORD}` })
})
afterAll(async () => {
  distrust()
  await emulator.close()
  await proxy.close()
})

/** The proxy URL with its password percent-encoded, as users write it. */
function proxyUrl(): string {
  return proxy.url.replace(PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD))
}

/** The settings the runner's environment gives: HTTPS_PROXY, and NO_PROXY if any. */
function behindProxy(noProxy = ''): ProxySettings {
  return proxySettingsFrom({ HTTPS_PROXY: proxyUrl(), NO_PROXY: noProxy })
}

const hostOf = (url: string): string => new URL(url).host

describe('behind a proxy', () => {
  it('queries, converts and downloads over https through it, and keeps its password out of the log', async () => {
    proxy.tunnels.splice(0)
    emulator.requests.splice(0)
    const run = await pullWith(emulator, {
      inputs: { entries: `${DESK_LAMP}: glb\n${CHAIR}: usdz`, 'convert-missing': 'true' },
      proxy: behindProxy()
    })
    expect(run.report.failures).toEqual([])
    expect(run.report.files.map(file => file.source)).toEqual(['download', 'conversion'])
    const routes = emulator.requests.map(request => request.route)
    expect(routes).toEqual(expect.arrayContaining(['query', 'download', 'file', 'redirect']))
    expect(new Set(proxy.tunnels)).toEqual(
      new Set([hostOf(emulator.apiUrl), hostOf(emulator.storageUrl)])
    )
    expect(run.log()).not.toContain(PROXY_PASSWORD)
    expect(run.log()).not.toContain(encodeURIComponent(PROXY_PASSWORD))
    expect(run.redactor.redact(proxyUrl())).not.toContain(encodeURIComponent(PROXY_PASSWORD))
  })

  it('goes around it for the hosts in NO_PROXY', async () => {
    proxy.tunnels.splice(0)
    const storageHost = new URL(emulator.storageUrl).hostname
    const run = await pullWith(emulator, {
      inputs: { entries: DESK_LAMP, retries: '0' },
      proxy: behindProxy(storageHost)
    })
    // Only the proxy knows the .test names: a direct attempt cannot even resolve the host.
    expect(run.report.failures[0].message).toMatch(/ENOTFOUND|getaddrinfo/)
    expect(proxy.tunnels).toEqual([hostOf(emulator.apiUrl)])
  })

  it('never sends a loopback host through it', async () => {
    const local = await startSampleEmulator()
    try {
      const unreachable = { httpProxy: 'http://127.0.0.1:9', httpsProxy: 'http://127.0.0.1:9' }
      const run = await pullWith(local, {
        inputs: { entries: DESK_LAMP },
        proxy: { ...unreachable, noProxy: '' }
      })
      expect(run.report.failures).toEqual([])
    } finally {
      await local.close()
    }
  })

  it('is read from the environment as @actions/http-client reads it: lower-case names first', () => {
    expect(
      proxySettingsFrom({
        https_proxy: 'http://lower:1',
        HTTPS_PROXY: 'http://upper:1',
        HTTP_PROXY: 'http://plain:1',
        NO_PROXY: 'example.com'
      })
    ).toEqual({
      httpsProxy: 'http://lower:1',
      httpProxy: 'http://plain:1',
      noProxy: 'example.com'
    })
  })

  it('carries the command-line program too: pull through HTTPS_PROXY, NO_PROXY around it', async () => {
    proxy.tunnels.splice(0)
    const cwd = await scratchFolder('cli-proxy')
    // The tests' own proxy and echo3D variables are none of the program's: runCliInProcess drops them.
    const env = {
      HTTPS_PROXY: proxyUrl(),
      ECHO3D_API_KEY: emulator.credentials.apiKey,
      ECHO3D_EMAIL: emulator.credentials.email,
      ECHO3D_USER_KEY: emulator.credentials.userKey,
      ECHO3D_API_URL: emulator.apiUrl
    }
    const through = await runCliInProcess(
      ['-C', cwd, '--verbose', 'pull', '--entries', DESK_LAMP],
      env
    )
    expect(through.stderr).toBe('')
    expect(through.code).toBe(0)
    expect(through.stdout).toContain('✓ Desk Lamp.glb')
    expect(new Set(proxy.tunnels)).toEqual(
      new Set([hostOf(emulator.apiUrl), hostOf(emulator.storageUrl)])
    )
    expect(through.stdout + through.stderr).not.toContain(PROXY_PASSWORD)
    expect(through.stdout + through.stderr).not.toContain(encodeURIComponent(PROXY_PASSWORD))

    const storageHost = new URL(emulator.storageUrl).hostname
    const around = await runCliInProcess(
      ['-C', cwd, 'pull', '--entries', CHAIR, '--retries', '0'],
      {
        ...env,
        NO_PROXY: storageHost
      }
    )
    expect(around.code).toBe(1)
    expect(around.stderr).toMatch(/ENOTFOUND storage\.echo3d\.test/)
  })
})
