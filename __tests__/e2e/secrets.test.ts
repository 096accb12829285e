import { afterEach, describe, expect, it } from '@jest/globals'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import type { Emulator, EmulatorCredentials } from '../../emulator/server.ts'
import { startScriptedServer, type ScriptedServer } from '../../doubles/scripted-server.ts'
import { runAction, type RunResult } from '../../harness/runner.ts'
import {
  credentialForms,
  echoedForms,
  filesOutput,
  log,
  pull,
  startSampleEmulator
} from '../support.ts'

/** Characters that encodeURIComponent and URLSearchParams encode differently from the runner's masks. */
const AWKWARD: EmulatorCredentials = {
  apiKey: "late night!(1)*~'key",
  email: "o'brien+3d (studio)@example.com",
  userKey: 'u k/=+ä~*!',
  secKey: "s!e c*r(e)t~'"
}

function awkwardInputs(): Record<string, string> {
  return {
    'api-key': AWKWARD.apiKey,
    email: AWKWARD.email,
    'user-key': AWKWARD.userKey,
    'secret-key': AWKWARD.secKey ?? ''
  }
}

let emulator: Emulator | undefined
let server: ScriptedServer | undefined
afterEach(async () => {
  await emulator?.close()
  await server?.close()
})

/**
 * Everything a user or another step could read. Workflow commands are shown by the runner with
 * their data unescaped, so they are unescaped here too; add-mask commands are consumed, not shown.
 */
function everythingVisible(result: RunResult): string {
  const logText = log(result)
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .map(line => (line.startsWith('::') ? unescapeCommandData(line) : line))
    .join('\n')
  return [logText, JSON.stringify(result.outputs), result.summary].join('\n')
}

function unescapeCommandData(line: string): string {
  return line.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function leakedForms(result: RunResult, credentials: EmulatorCredentials): string[] {
  const visible = everythingVisible(result)
  const forms = Object.values(credentials).flatMap((value: string | undefined) =>
    value ? credentialForms(value) : []
  )
  return forms.filter(
    form => visible.includes(form) || visible.toLowerCase().includes(form.toLowerCase())
  )
}

describe('credentials never appear, in any encoding', () => {
  it('with debug logging, retries, conversions and failures', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    emulator.fault({ route: 'file', kind: 'status', status: 503 })
    emulator.fault({
      route: 'file',
      kind: 'error200',
      match: emulator.storageIdOf(DESK_LAMP, 'usdz')
    })
    const result = await pull(
      emulator,
      {
        entries: `${ROBOT}\n${DESK_LAMP}: usdz, original\n${CHAIR}: stl\nmissing-entry`,
        'convert-missing': 'true'
      },
      { debug: true }
    )
    expect(result.code).toBe(1)
    expect(filesOutput(result)).toHaveLength(6)
    expect(log(result)).toContain('::debug::')
    expect(leakedForms(result, AWKWARD)).toEqual([])
    const masked = log(result)
      .split('\n')
      .filter(line => line.startsWith('::add-mask::'))
    expect(masked.length).toBeGreaterThanOrEqual(4 * 3)
  })

  it('when echo3D refuses the credentials (401), and says which secrets to check', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const result = await pull(
      emulator,
      { entries: ROBOT, 'user-key': 'wrong key!*' },
      { debug: true }
    )
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /echo3D refused the credentials \(HTTP 401.*Check the secrets passed as `api-key`, `email` and `user-key`/
    )
    expect(emulator.requests).toHaveLength(1)
    expect(leakedForms(result, { ...AWKWARD, userKey: 'wrong key!*' })).toEqual([])
  })

  it('when a secured collection gets no secret-key (403), and points at secret-key', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const result = await pull(emulator, { entries: ROBOT, 'secret-key': '' }, { debug: true })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /echo3D refused access \(HTTP 403.*pass its secret key as `secret-key`/
    )
    expect(emulator.requests).toHaveLength(1)
    expect(leakedForms(result, AWKWARD)).toEqual([])
  })

  it('sends credentials in form bodies for queries and conversions', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const result = await pull(emulator, { entries: `${CHAIR}: usdz`, 'convert-missing': 'true' })
    expect(result.code).toBe(0)
    const methods = emulator.requests.map(request => `${request.route}:${request.method}`)
    expect(methods).toEqual(['query:POST', 'download:POST', 'query:POST'])
  })

  it('when a server echoes them back escaped, re-encoded or cut', async () => {
    const echoed: EmulatorCredentials = {
      apiKey: 'key&<one>  two',
      email: `o'brien"+3d@example.com`,
      userKey: 'user  key<&> three four five six'
    }
    server = await startScriptedServer((_request, response, body) => {
      const values = new URLSearchParams(body)
      const forms = [values.get('key') ?? '', values.get('email') ?? ''].flatMap(echoedForms)
      const start = `<p>Bad request</p> ${forms.join(' | ')} `
      // Whitespace, which a quote collapses, puts the 2 KiB the action reads of an error body
      // eight bytes into the user key: its start is at the end of what is quoted.
      const padding = ' '.repeat(2048 - 8 - Buffer.byteLength(start))
      response.writeHead(500, { 'content-type': 'text/html' })
      response.end(`${start}${padding}${echoed.userKey}`)
    })
    const inputs = {
      'api-key': echoed.apiKey,
      email: echoed.email,
      'user-key': echoed.userKey,
      'api-url': server.url,
      entries: 'e1',
      retries: '0'
    }
    const result = await runAction({ inputs, debug: true })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/echo3D kept failing \(HTTP 500 '<p>Bad request<\/p> \*\*\* \|/)
    expect(leakedForms(result, echoed)).toEqual([])
    expect(everythingVisible(result)).not.toMatch(/user\s+k/)
  })

  it('when a server echoes them in forms no list foresees', async () => {
    const odd: EmulatorCredentials = {
      apiKey: 'late-night-1234',
      email: 'artist+ci@example.com',
      userKey: 'uk/0f9e+8d7c6b5a',
      secKey: 'sk-9a8b7c6d5e4f3a2b'
    }
    const echoes = [
      'artist&#x2b;ci&#x40;example&#x2e;com',
      'SK-9A8B7C6D5E4F3A2B',
      "'sk-9a8b7c6d5...'",
      'uk\\/0f9e+8d7c6b5a',
      'uk/0f9e+8d 7c6b5a',
      'artist%25252Bci%252540example.com',
      'l\u200ba\u200bt\u200be\u200b-night-1234',
      '9a8b7c6d5e4f3a2b',
      Buffer.from('late-night-1234').toString('hex')
    ]
    server = await startScriptedServer((_request, response, body) => {
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(`${echoes.join(' ')} ${Buffer.from(body).toString('base64')}`)
    })
    const inputs = {
      'api-key': odd.apiKey,
      email: odd.email,
      'user-key': odd.userKey,
      'secret-key': odd.secKey ?? '',
      'api-url': server.url,
      entries: 'e1',
      retries: '0'
    }
    const result = await runAction({ inputs })
    expect(result.code).toBe(1)
    const visible = everythingVisible(result)
    expect(visible).toMatch(/HTTP 500/)
    for (const echo of echoes) expect(visible).not.toContain(echo)
    for (const run of ['9a8b7c', 'artist', '0f9e', 'night'])
      expect(visible.toLowerCase()).not.toContain(run)
  })

  it('never quotes an answer to refused credentials, which may echo them', async () => {
    server = await startScriptedServer((_request, response, body) => {
      response.writeHead(401, { 'content-type': 'text/plain' })
      response.end(`Invalid credentials in: ${Buffer.from(body).toString('hex')}`)
    })
    const inputs = { ...awkwardInputs(), 'api-url': server.url, entries: 'e1', retries: '0' }
    const result = await runAction({ inputs })
    expect(log(result)).toMatch(/echo3D refused the credentials \(HTTP 401\)/)
    expect(everythingVisible(result)).not.toContain('Invalid credentials in')
  })
})
