// echo3D as the action meets it behind a company proxy: over https, under its own host names,
// which only the proxy can reach (it maps every .test name to loopback).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startForwardProxy, type ForwardProxy } from '../../doubles/forward-proxy.ts'
import { startGitHubDouble } from '../../doubles/github-api.ts'
import { CHAIR, DESK_LAMP, sampleEntries } from '../../emulator/sample-collection.ts'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { runCli } from '../../harness/runner.ts'
import {
  filesOutput,
  scratchFolder,
  githubRunner,
  log,
  pull,
  selfSignedCertificate,
  startSampleEmulator
} from '../support.ts'

const PROXY_PASSWORD = 'pr0xy pass!'
let emulator: Emulator
let proxy: ForwardProxy
let caFile: string
let tls: Awaited<ReturnType<typeof selfSignedCertificate>>

beforeAll(async () => {
  tls = await selfSignedCertificate(['api.echo3d.test', 'storage.echo3d.test', '127.0.0.1'])
  caFile = tls.caFile
  emulator = await startEmulator({
    entries: sampleEntries(),
    tls: { ...tls, apiHost: 'api.echo3d.test', storageHost: 'storage.echo3d.test' }
  })
  proxy = await startForwardProxy({ credentials: `proxy-user:${PROXY_PASSWORD}` })
})
afterAll(async () => {
  await emulator.close()
  await proxy.close()
})

/** The proxy URL with its password percent-encoded, as users write it. */
function proxyUrl(): string {
  return proxy.url.replace(PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD))
}

const hostOf = (url: string): string => new URL(url).host

describe('behind a proxy', () => {
  it('queries, converts and downloads over https through HTTPS_PROXY, and masks its password', async () => {
    proxy.tunnels.splice(0)
    emulator.requests.splice(0)
    const inputs = { entries: `${DESK_LAMP}: glb\n${CHAIR}: usdz`, 'convert-missing': 'true' }
    const env = { HTTPS_PROXY: proxyUrl(), NODE_EXTRA_CA_CERTS: caFile }
    const result = await pull(emulator, inputs, { env, debug: true })
    expect(log(result)).not.toMatch(/::error::/)
    expect(filesOutput(result).map(file => file.source)).toEqual(['download', 'conversion'])
    const routes = emulator.requests.map(request => request.route)
    expect(routes).toEqual(expect.arrayContaining(['query', 'download', 'file', 'redirect']))
    expect(new Set(proxy.tunnels)).toEqual(
      new Set([hostOf(emulator.apiUrl), hostOf(emulator.storageUrl)])
    )
    const visible = log(result)
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(visible).not.toContain(PROXY_PASSWORD)
    expect(visible).not.toContain(encodeURIComponent(PROXY_PASSWORD))
  })

  it('carries the command-line program too: pull through HTTPS_PROXY, NO_PROXY around it', async () => {
    proxy.tunnels.splice(0)
    const cwd = await scratchFolder('cli-proxy')
    const env = {
      HTTPS_PROXY: proxyUrl(),
      NODE_EXTRA_CA_CERTS: caFile,
      ECHO3D_API_KEY: emulator.credentials.apiKey,
      ECHO3D_EMAIL: emulator.credentials.email,
      ECHO3D_USER_KEY: emulator.credentials.userKey,
      ECHO3D_API_URL: emulator.apiUrl
    }
    const result = await runCli(['--verbose', 'pull', '--entries', DESK_LAMP], { cwd, env })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('✓ Desk Lamp.glb')
    expect(new Set(proxy.tunnels)).toEqual(
      new Set([hostOf(emulator.apiUrl), hostOf(emulator.storageUrl)])
    )
    expect(result.stdout + result.stderr).not.toContain(PROXY_PASSWORD)
    expect(result.stdout + result.stderr).not.toContain(encodeURIComponent(PROXY_PASSWORD))

    const storageHost = new URL(emulator.storageUrl).hostname
    const around = await runCli(['pull', '--entries', CHAIR, '--retries', '0'], {
      cwd,
      env: { ...env, NO_PROXY: storageHost }
    })
    expect(around.code).toBe(1)
    expect(around.stderr).toMatch(/ENOTFOUND storage\.echo3d\.test/)
  })

  it('reads the lower-case https_proxy as well', async () => {
    proxy.tunnels.splice(0)
    const env = { https_proxy: proxyUrl(), NODE_EXTRA_CA_CERTS: caFile }
    const result = await pull(emulator, { entries: DESK_LAMP }, { env })
    expect(result.code).toBe(0)
    expect(proxy.tunnels.length).toBeGreaterThan(0)
  })

  it('goes around the proxy for the hosts in NO_PROXY', async () => {
    proxy.tunnels.splice(0)
    const storageHost = new URL(emulator.storageUrl).hostname
    const env = { HTTPS_PROXY: proxyUrl(), NO_PROXY: storageHost, NODE_EXTRA_CA_CERTS: caFile }
    const result = await pull(emulator, { entries: DESK_LAMP, retries: '0' }, { env })
    // Only the proxy knows the .test names: a direct attempt cannot even resolve the host.
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/ENOTFOUND|getaddrinfo/)
    expect(proxy.tunnels).toEqual([hostOf(emulator.apiUrl)])
  })

  it('never sends a loopback host through it', async () => {
    const local = await startSampleEmulator()
    try {
      const env = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' }
      const result = await pull(local, { entries: DESK_LAMP }, { env })
      expect(result.code).toBe(0)
    } finally {
      await local.close()
    }
  })

  it('delivers over https too: a pull request through a GitHub that speaks TLS', async () => {
    const github = await startGitHubDouble({ tls })
    try {
      const inputs = { entries: DESK_LAMP, commit: 'pull-request' }
      const env = { HTTPS_PROXY: proxyUrl(), NODE_EXTRA_CA_CERTS: caFile }
      const result = await pull(emulator, inputs, {
        ...githubRunner(github),
        env: { ...githubRunner(github).env, ...env }
      })
      expect(log(result)).not.toMatch(/::error::/)
      expect(result.outputs['pull-request-operation']).toBe('created')
      expect(github.pulls).toHaveLength(1)
    } finally {
      await github.close()
    }
  })
})
