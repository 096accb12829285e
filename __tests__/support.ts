// Shared pieces of the tests that run against servers: the emulator with the sample collection, the runner's
// environment for the GitHub doubles, scratch folders, and file checks.

import { afterAll, beforeAll, beforeEach } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { sampleEntries } from '../emulator/sample-collection.ts'
import {
  startEmulator,
  type Emulator,
  type EmulatorCredentials,
  type EmulatorOptions
} from '../emulator/server.ts'
import {
  startGitHubDouble,
  type GitHubDouble,
  type RepositorySettings
} from '../doubles/github-api.ts'
import type { Tls } from '../doubles/scripted-server.ts'
import {
  emulatorInputs,
  runAction,
  scratchFolder,
  type RunOptions,
  type RunResult
} from '../harness/runner.ts'
import type { PulledFile } from '../src/model.js'

export async function startSampleEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ entries: sampleEntries(), ...options })
}

/** One emulator for a whole test file: started before it, reset before each test, closed after. */
export function sharedEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startSampleEmulator(options)
  })
  afterAll(() => emulator?.close())
  beforeEach(() => emulator?.reset())
  return () => {
    if (!emulator) throw new Error('the emulator is not running')
    return emulator
  }
}

/**
 * One GitHub double for a whole test file, started before it and closed after; each call gives it
 * a fresh repository with these settings. One address for the file: in-process, @actions/github
 * reads GITHUB_API_URL once.
 */
export function sharedGitHub(): (settings?: RepositorySettings) => Promise<GitHubDouble> {
  let double: GitHubDouble | undefined
  beforeAll(async () => {
    double = await startGitHubDouble()
  })
  afterAll(() => double?.close())
  return async settings => {
    if (!double) throw new Error('the GitHub double is not running')
    await double.reset(settings)
    return double
  }
}

/** Runs the bundle against the emulator with its credentials, plus the given inputs. */
export function pull(
  emulator: Emulator,
  inputs: Record<string, string>,
  options: Partial<RunOptions> = {}
): Promise<RunResult> {
  return runAction({ ...options, inputs: { ...emulatorInputs(emulator), ...inputs } })
}

/**
 * A self-signed certificate for these host names and addresses, made with openssl, and the file
 * a child process trusts it from (NODE_EXTRA_CA_CERTS).
 */
export async function selfSignedCertificate(
  names: string[] = ['127.0.0.1']
): Promise<Tls & { caFile: string }> {
  const folder = await scratchFolder('tls')
  const key = path.join(folder, 'key.pem')
  const cert = path.join(folder, 'cert.pem')
  const alternatives = names.map(name => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`))
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${alternatives.join(',')}`],
      ...['-keyout', key, '-out', cert]
    ],
    { stdio: 'ignore' }
  )
  return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8'), caFile: cert }
}

/** A run against the GitHub double: its API, repository and token, on a branch or tag ref. */
export function githubRunner(
  double: GitHubDouble,
  options: { ref?: string; workspace?: string } = {}
): Partial<RunOptions> {
  return {
    workspace: options.workspace,
    githubToken: double.token,
    env: {
      GITHUB_API_URL: double.url,
      GITHUB_REPOSITORY: `${double.owner}/${double.repo}`,
      GITHUB_REF: options.ref ?? 'refs/heads/main'
    }
  }
}

export function filesOutput(result: RunResult): Omit<PulledFile, 'durationMs'>[] {
  return JSON.parse(result.outputs.files ?? '[]') as Omit<PulledFile, 'durationMs'>[]
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Every file under a folder, hidden ones included, relative and with `/` separators. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter(entry => entry.isFile())
    .map(entry =>
      path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
    )
    .sort()
}

export const LOCKFILE = 'assets/echo3d/echo3d.lock.json'

/** Every file but the lockfile: what the tests about pulling look at. Partial files would show. */
export async function listAssets(root: string): Promise<string[]> {
  return (await listFiles(root)).filter(file => !file.endsWith('/echo3d.lock.json'))
}

export async function readWorkspaceFile(result: RunResult, relativePath: string): Promise<Buffer> {
  return readFile(path.join(result.workspace, relativePath))
}

/** Requests that moved file bytes: storage downloads and conversions. */
export function transfers(emulator: Emulator): number {
  return emulator.requests.filter(
    request => request.route === 'file' || request.route === 'download'
  ).length
}

export function log(result: RunResult): string {
  return result.stdout + result.stderr
}

/**
 * Everything a user or another step could read: the log, the outputs, the summary and the JSON
 * file the `files-path` output names. The runner shows workflow commands with their data
 * unescaped, so they are unescaped here too; add-mask commands are consumed, not shown.
 */
export async function everythingVisible(result: RunResult): Promise<string> {
  const logText = log(result)
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .map(line => (line.startsWith('::') ? unescapeCommandData(line) : line))
    .join('\n')
  const filesPath = result.outputs['files-path']
  const filesJson = filesPath ? await readFile(filesPath, 'utf8') : ''
  return [logText, JSON.stringify(result.outputs), result.summary, filesJson].join('\n')
}

/** A workflow command's data as the runner shows it. */
export function unescapeCommandData(line: string): string {
  return line.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** Every form a credential could take on its way out: listed here, not taken from src/. */
export function credentialForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURI(secret),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
    ...echoedForms(secret)
  ]
}

/** What a server that echoes a request may make of a credential. */
export function echoedForms(secret: string): string[] {
  const percent = encodeURIComponent(secret)
  return [
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    percent.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()),
    percent.replace(/%20/g, '+'),
    secret.replace(/\s+/g, ' ')
  ]
}

/** Bytes not in `kept` as `%XX`, upper case: what strict URL encoders write. */
function percentEncodeExcept(secret: string, kept: RegExp): string {
  return [...Buffer.from(secret, 'utf8')]
    .map(byte => {
      const character = String.fromCharCode(byte)
      return byte < 0x80 && kept.test(character)
        ? character
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    })
    .join('')
}

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`
}

const RFC3986_UNRESERVED = /[A-Za-z0-9\-._~]/

/**
 * How servers and frameworks write a credential they echo: the table the credential tests check
 * each run against. Written here, apart from src/, so that a spelling the code forgets is not
 * forgotten by its tests too.
 */
export const ECHO_ENCODINGS = {
  rfc3986Strict: (secret: string) => percentEncodeExcept(secret, RFC3986_UNRESERVED),
  rfc3986StrictLowerCase: (secret: string) =>
    percentEncodeExcept(secret, RFC3986_UNRESERVED).replace(/%[0-9A-F]{2}/g, escape =>
      escape.toLowerCase()
    ),
  goPathEscape: (secret: string) => percentEncodeExcept(secret, /[A-Za-z0-9\-._~$&+,:;=@]/),
  goQueryEscape: (secret: string) =>
    percentEncodeExcept(secret, /[A-Za-z0-9\-._~ ]/).replace(/ /g, '+'),
  goJson: (secret: string) => JSON.stringify(secret).slice(1, -1).replace(/[&<>]/g, unicodeEscape),
  jsonAsciiOnly: (secret: string) =>
    JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, unicodeEscape),
  javascriptEscapes: (secret: string) => secret.replace(/[^A-Za-z0-9]/g, unicodeEscape),
  htmlDecimalEntities: (secret: string) =>
    [...secret].map(character => `&#${character.codePointAt(0)};`).join(''),
  htmlHexEntities: (secret: string) =>
    [...secret]
      .map(character => `&#x${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()};`)
      .join(''),
  upperCase: (secret: string) => secret.toUpperCase(),
  twicePercentEncoded: (secret: string) =>
    percentEncodeExcept(secret, RFC3986_UNRESERVED).replace(/%/g, '%25'),
  fullWidth: (secret: string) =>
    secret.replace(/[\x21-\x7e]/g, character =>
      String.fromCharCode(character.charCodeAt(0) - 0x21 + 0xff01)
    ),
  base64InsideAFormBody: (secret: string) =>
    Buffer.from(`k=${secret}&x=1`, 'utf8').toString('base64'),
  zeroWidthBetween: (secret: string) => [...secret].join('\u200b')
}

/** Credentials of the characters that encodeURIComponent and URLSearchParams encode differently from the runner's masks. */
export const AWKWARD: EmulatorCredentials = {
  apiKey: "late night!(1)*~'key",
  email: "o'brien+3d (studio)@example.com",
  userKey: 'u k/=+ä~*!',
  secKey: "s!e c*r(e)t~'"
}
