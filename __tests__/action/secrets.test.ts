// Credentials in-process: the action's run() refused by echo3D, or answered by servers that echo
// what they were sent. Nothing it writes may hold a credential in any form; the end-to-end test
// (__tests__/e2e/secrets.test.ts) checks a whole run with debug logging, and the Redactor's forms
// are listed in __tests__/unit/secrets.test.ts.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { CHAIR, ROBOT } from '../../emulator/sample-collection.ts'
import type { Emulator, EmulatorCredentials } from '../../emulator/server.ts'
import { startScriptedServer, type ScriptedServer } from '../../doubles/scripted-server.ts'
import { pullWith } from '../../harness/engine.ts'
import { credentialVariables, scratchFolder, type RunResult } from '../../harness/runner.ts'
import { runActionInProcess, runCliInProcess } from '../../harness/in-process.ts'
import {
  credentialForms,
  ECHO_ENCODINGS,
  echoedForms,
  everythingVisible,
  log,
  startSampleEmulator,
  AWKWARD
} from '../support.ts'

function inputsFor(credentials: EmulatorCredentials, apiUrl: string): Record<string, string> {
  return {
    'api-key': credentials.apiKey,
    email: credentials.email,
    'user-key': credentials.userKey,
    'secret-key': credentials.secKey ?? '',
    'api-url': apiUrl
  }
}

let emulator: Emulator | undefined
let server: ScriptedServer | undefined
afterEach(async () => {
  await emulator?.close()
  await server?.close()
})

async function leakedForms(result: RunResult, credentials: EmulatorCredentials): Promise<string[]> {
  const visible = (await everythingVisible(result)).toLowerCase()
  const forms = Object.values(credentials).flatMap((value: string | undefined) =>
    value ? credentialForms(value) : []
  )
  return forms.filter(form => visible.includes(form.toLowerCase()))
}

describe('refused credentials', () => {
  it('says which secrets to check when echo3D refuses them (401), and asks nothing more', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const wrong = { ...AWKWARD, userKey: 'wrong key!*' }
    const result = await runActionInProcess({
      inputs: { ...inputsFor(wrong, emulator.apiUrl), entries: ROBOT },
      debug: true
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /::error::.*echo3D refused the credentials \(HTTP 401\)\. Check the secrets passed as `api-key`, `email` and `user-key`/
    )
    expect(emulator.requests).toHaveLength(1)
    expect(await leakedForms(result, { ...AWKWARD, ...wrong })).toEqual([])
  })

  it('points at secret-key when a secured collection gets none (403)', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const result = await runActionInProcess({
      inputs: { ...inputsFor({ ...AWKWARD, secKey: '' }, emulator.apiUrl), entries: ROBOT },
      debug: true
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /echo3D refused access \(HTTP 403.*pass its secret key as `secret-key`/
    )
    expect(emulator.requests).toHaveLength(1)
    expect(await leakedForms(result, AWKWARD)).toEqual([])
  })

  it('never quotes the answer to refused credentials, which may echo them', async () => {
    server = await startScriptedServer((_request, response, body) => {
      response.writeHead(401, { 'content-type': 'text/plain' })
      response.end(`Invalid credentials in: ${Buffer.from(body).toString('hex')}`)
    })
    const result = await runActionInProcess({
      inputs: { ...inputsFor(AWKWARD, server.url), entries: 'e1', retries: '0' }
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/echo3D refused the credentials \(HTTP 401\)/)
    expect(await everythingVisible(result)).not.toContain('Invalid credentials in')
  })
})

describe('servers that echo the credentials', () => {
  it('are quoted with every echo redacted: escaped, re-encoded, or cut where the quote ends', async () => {
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
    const result = await runActionInProcess({
      inputs: { ...inputsFor(echoed, server.url), entries: 'e1', retries: '0' },
      debug: true
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/echo3D kept failing \(HTTP 500 '<p>Bad request<\/p> \*\*\* \|/)
    expect(await leakedForms(result, echoed)).toEqual([])
    expect(await everythingVisible(result)).not.toMatch(/user\s+k/)
  })

  it('are redacted in forms no list foresees', async () => {
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
    const result = await runActionInProcess({
      inputs: { ...inputsFor(odd, server.url), entries: 'e1', retries: '0' }
    })
    expect(result.code).toBe(1)
    const visible = await everythingVisible(result)
    expect(visible).toMatch(/HTTP 500/)
    for (const echo of echoes) expect(visible).not.toContain(echo)
    for (const run of ['9a8b7c', 'artist', '0f9e', 'night'])
      expect(visible.toLowerCase()).not.toContain(run)
  })
})

describe.each(Object.entries(ECHO_ENCODINGS))(
  'a server that echoes the credentials as %s',
  (_name, encode) => {
    const credentials = Object.values(AWKWARD).filter(value => value !== undefined)
    const echoes = credentials.map(encode)

    async function echoingServer(): Promise<ScriptedServer> {
      return startScriptedServer((_request, response) => {
        response.writeHead(500, { 'content-type': 'text/plain' })
        response.end(`Bad request: ${echoes.join(' | ')}`)
      })
    }

    function leaked(visible: string): string[] {
      const lowerCase = visible.toLowerCase()
      return echoes.filter(echo => lowerCase.includes(echo.toLowerCase()))
    }

    it('is quoted with none of them in the log, annotations, outputs or summary', async () => {
      server = await echoingServer()
      const result = await runActionInProcess({
        inputs: { ...inputsFor(AWKWARD, server.url), entries: 'e1', retries: '0' },
        debug: true
      })
      expect(result.code).toBe(1)
      const visible = await everythingVisible(result)
      // Base64 keeps a few bits of a credential's first and last characters beside the mask.
      expect(visible).toMatch(/HTTP 500 'Bad request: (\S*\*\*\*\S* \| ){3}\S*\*\*\*\S*'/)
      expect(leaked(visible)).toEqual([])
      expect(await leakedForms(result, AWKWARD)).toEqual([])
    })

    it('is quoted with none of them in what the command-line program prints', async () => {
      server = await echoingServer()
      const root = await scratchFolder('cli-echo')
      await mkdir(path.join(root, '.git'))
      const variables = { ...credentialVariables(AWKWARD), ECHO3D_API_URL: server.url }
      const run = await runCliInProcess(
        ['-C', root, 'pull', '--entries', 'e1', '--retries', '0'],
        variables
      )
      expect(run.code).toBe(1)
      expect(run.stderr + run.stdout).toMatch(/HTTP 500 'Bad request: \*\*\* \|/)
      expect(leaked(run.stdout + run.stderr)).toEqual([])
    })
  }
)

describe('requests', () => {
  it('carry the credentials in form bodies, never in a URL, for queries and conversions', async () => {
    emulator = await startSampleEmulator({ credentials: AWKWARD })
    const run = await pullWith(emulator, {
      inputs: { entries: `${CHAIR}: usdz`, 'convert-missing': 'true' }
    })
    expect(run.report.failures).toEqual([])
    expect(emulator.requests.map(request => `${request.route}:${request.method}`)).toEqual([
      'query:POST',
      'download:POST',
      'query:POST'
    ])
    const targets = emulator.requests
      .map(request => request.target)
      .join('\n')
      .toLowerCase()
    const forms = Object.values(AWKWARD).flatMap((value: string | undefined) =>
      value ? credentialForms(value) : []
    )
    expect(forms.filter(form => targets.includes(form.toLowerCase()))).toEqual([])
  })
})
