import path from 'node:path'
import { InputError, InputErrors } from '../errors.js'
import { KNOWN_FORMATS, parseRequestedFormat, type RequestedFormat } from '../formats.js'
import { parseDeliveryInputs, type DeliveryInputs, type InputReader } from './delivery.js'
import { parseBoolean, parseChoice, parseDuration, parseInteger, splitList } from './values.js'

export interface Credentials {
  apiKey: string
  email: string
  userKey: string
  secretKey: string
}

export interface EntrySelection {
  id: string
  /** Empty means the `formats` input applies. */
  formats: RequestedFormat[]
}

export type RunMode = 'pull' | 'check'

export type { CommitMethod, CommitMode, DeliveryInputs, InputReader } from './delivery.js'

export interface ActionInputs {
  credentials: Credentials
  delivery: DeliveryInputs
  mode: RunMode
  /** Absolute path of the lockfile; undefined when `lockfile` is ''. */
  lockfile?: string
  prune: boolean
  apiUrl: URL
  entries: EntrySelection[]
  tags: string[]
  defaultFormats: RequestedFormat[]
  files: string[]
  convertMissing: boolean
  timeoutMs: number
  retries: number
  concurrency: number
  /** Absolute destination folder, inside the workspace. */
  destination: string
  fileNameTemplate: string
  cache: boolean
}

/** Inputs whose values are masked and redacted everywhere. */
export const SECRET_INPUTS = ['api-key', 'email', 'user-key', 'secret-key', 'github-token'] as const
export const FILE_NAME_PLACEHOLDERS = ['name', 'entry', 'format', 'ext'] as const

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
const STORAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)?$/
const MAX_RETRIES = 10
const MAX_CONCURRENCY = 32

/**
 * Reads and validates every input. Pure: it reads through `read` and touches no network or disk,
 * and it reports every bad input at once.
 */
export function parseInputs(read: InputReader, workspace: string): ActionInputs {
  const errors: InputError[] = []
  function attempt<T>(parse: () => T, fallback: T): T {
    try {
      return parse()
    } catch (error) {
      if (error instanceof InputError) {
        errors.push(error)
        return fallback
      }
      throw error
    }
  }

  const credentials = attempt(() => parseCredentials(read), {
    apiKey: '',
    email: '',
    userKey: '',
    secretKey: ''
  })
  const apiUrl = attempt(() => parseApiUrl(read('api-url')), new URL('https://invalid'))
  const entries = attempt(() => parseEntries(read('entries')), [])
  const tags = splitList(read('tags'))
  const defaultFormats = attempt(() => parseFormats('formats', read('formats') || 'glb'), [])
  const files = attempt(() => parseStorageIds(read('files')), [])
  const convertMissing = attempt(
    () => parseBoolean('convert-missing', read('convert-missing')),
    false
  )
  const timeoutMs = attempt(() => parseDuration('timeout', read('timeout') || '20m'), 0)
  const retries = attempt(() => parseInteger('retries', read('retries') || '3', 0, MAX_RETRIES), 0)
  const concurrency = attempt(
    () => parseInteger('concurrency', read('concurrency') || '4', 1, MAX_CONCURRENCY),
    1
  )
  const destination = attempt(
    () => parseDestination(read('path') || 'assets/echo3d', workspace),
    workspace
  )
  const fileNameTemplate = attempt(
    () => parseFileNameTemplate(read('file-name') || '{name}.{ext}'),
    ''
  )
  const cache = attempt(() => parseBoolean('cache', read('cache') || 'true'), false)
  const delivery = parseDeliveryInputs(read, attempt)
  const mode = attempt(() => parseChoice('mode', read('mode') || 'pull', RUN_MODES), 'pull')
  const lockfile = attempt(
    () => parseLockfilePath(read('lockfile'), read('path') || 'assets/echo3d', workspace),
    undefined
  )
  const prune = attempt(() => parseBoolean('prune', read('prune')), false)
  attempt(() => checkLockfileNeeded(mode, prune, lockfile), undefined)

  if (entries.length === 0 && tags.length === 0 && files.length === 0) {
    errors.push(
      new InputError(
        'entries',
        'nothing is selected',
        'Set at least one of `entries`, `tags` or `files`'
      )
    )
  }
  if (errors.length > 0) throw new InputErrors(errors)

  return {
    credentials,
    delivery,
    mode,
    lockfile,
    prune,
    apiUrl,
    entries,
    tags,
    defaultFormats,
    files,
    convertMissing,
    timeoutMs,
    retries,
    concurrency,
    destination,
    fileNameTemplate,
    cache
  }
}

function parseCredentials(read: InputReader): Credentials {
  const required = (name: string): string => {
    const value = read(name).trim()
    if (!value) {
      throw new InputError(
        name,
        'it is required and empty',
        `Store the value as a repository secret and pass it as \`${name}: \${{ secrets.… }}\``
      )
    }
    return value
  }
  return {
    apiKey: required('api-key'),
    email: required('email'),
    userKey: required('user-key'),
    secretKey: read('secret-key').trim()
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export function parseApiUrl(raw: string): URL {
  const text = raw.trim() || 'https://api.echo3D.com'
  let url: URL
  try {
    url = new URL(text)
  } catch {
    // The raw text is left out of the message: a user may paste a URL that carries a credential.
    throw new InputError('api-url', 'it is not a valid URL', 'Use the form https://api.echo3D.com')
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      'api-url',
      'it must not carry credentials, a query or a fragment',
      'Give only the base URL, such as https://api.echo3D.com, and the credentials as their own inputs'
    )
  }
  const secure = url.protocol === 'https:'
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname)
  if (!secure && !loopbackHttp) {
    throw new InputError(
      'api-url',
      `it uses ${url.protocol.replace(':', '')}, which would send the credentials in clear text`,
      'Use an https:// URL (plain http is allowed only for loopback test servers)'
    )
  }
  url.pathname = url.pathname.replace(/\/+$/, '')
  return url
}

export function parseFormats(input: string, raw: string): RequestedFormat[] {
  const formats: RequestedFormat[] = []
  for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
    const format = parseRequestedFormat(item)
    if (!format) {
      throw new InputError(
        input,
        `'${item}' is not a known format`,
        `Use one or more of: ${KNOWN_FORMATS.join(', ')}`
      )
    }
    if (!formats.includes(format)) formats.push(format)
  }
  if (formats.length === 0) {
    throw new InputError(
      input,
      'no format is given',
      `Use one or more of: ${KNOWN_FORMATS.join(', ')}`
    )
  }
  return formats
}

function checkEntryId(id: string, lineNumber: number): string {
  if (!ID_PATTERN.test(id)) {
    throw new InputError(
      'entries',
      `line ${lineNumber}: '${id}' is not an echo3D entry ID`,
      'Copy the entry ID from the echo3D console (letters, digits and hyphens, such as 5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11)'
    )
  }
  return id
}

/**
 * One entry per line, `ID` or `ID: fmt, fmt`. A line without a colon may hold several IDs.
 * An entry named twice gets the union of its formats.
 */
export function parseEntries(raw: string): EntrySelection[] {
  const byId = new Map<string, EntrySelection>()
  const add = (id: string, formats: RequestedFormat[]): void => {
    const existing = byId.get(id)
    if (!existing) {
      byId.set(id, { id, formats: [...formats] })
      return
    }
    for (const format of formats) {
      if (!existing.formats.includes(format)) existing.formats.push(format)
    }
  }

  raw.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*$/, '').trim()
    if (!line) return
    const colon = line.indexOf(':')
    if (colon === -1) {
      for (const id of line.split(/[\s,]+/).filter(Boolean)) add(checkEntryId(id, index + 1), [])
      return
    }
    const id = checkEntryId(line.slice(0, colon).trim(), index + 1)
    add(id, parseFormats('entries', line.slice(colon + 1)))
  })
  return [...byId.values()]
}

export function parseStorageIds(raw: string): string[] {
  const ids = splitList(raw)
  for (const id of ids) {
    if (!STORAGE_ID_PATTERN.test(id)) {
      throw new InputError(
        'files',
        `'${id}' is not a storage ID`,
        'Use storage IDs as echo3D lists them (a UUID, optionally with an extension such as .glb)'
      )
    }
  }
  return [...new Set(ids)]
}

/** The destination must stay inside the workspace, so a workflow cannot write over the runner. */
export function parseDestination(raw: string, workspace: string): string {
  const root = path.resolve(workspace)
  const destination = path.resolve(root, raw.trim())
  const relative = path.relative(root, destination)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new InputError(
      'path',
      `'${raw.trim()}' is outside the workspace`,
      'Use a folder relative to the workspace, such as assets/echo3d'
    )
  }
  return destination
}

export function parseFileNameTemplate(raw: string): string {
  const template = raw.trim()
  const fix = `Use placeholders {${FILE_NAME_PLACEHOLDERS.join('}, {')}} and relative folders, such as {name}.{ext} or {entry}/{name}.{ext}`
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    if (!(FILE_NAME_PLACEHOLDERS as readonly string[]).includes(match[1])) {
      throw new InputError('file-name', `{${match[1]}} is not a known placeholder`, fix)
    }
  }
  const segments = template.split(/[\\/]/)
  if (
    path.isAbsolute(template) ||
    segments.some(segment => segment === '..' || segment === '.' || !segment)
  ) {
    throw new InputError('file-name', `'${template}' is not a relative file name`, fix)
  }
  return template
}

const RUN_MODES: readonly RunMode[] = ['pull', 'check']
const DEFAULT_LOCKFILE = '{path}/echo3d.lock.json'

/**
 * The action.yml default is `{path}/echo3d.lock.json`; an explicitly empty input turns the lockfile
 * off. The runner always passes the default when the input is absent, so '' means the user said ''.
 */
export function parseLockfilePath(
  raw: string,
  destinationInput: string,
  workspace: string
): string | undefined {
  const template = raw.trim()
  if (!template) return undefined
  const relative = template.replace('{path}', destinationInput.trim())
  const root = path.resolve(workspace)
  const absolute = path.resolve(root, relative)
  const inside = path.relative(root, absolute)
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new InputError(
      'lockfile',
      `'${template}' is outside the workspace`,
      `Use a path inside the workspace, such as ${DEFAULT_LOCKFILE}, or '' to turn the lockfile off`
    )
  }
  return absolute
}

function checkLockfileNeeded(mode: RunMode, prune: boolean, lockfile: string | undefined): void {
  if (lockfile) return
  if (mode === 'check') {
    throw new InputError(
      'mode',
      '`check` compares against the lockfile, and `lockfile` is off',
      `Set \`lockfile\` (default ${DEFAULT_LOCKFILE})`
    )
  }
  if (prune) {
    throw new InputError(
      'prune',
      'pruning needs the lockfile to know which files the action wrote, and `lockfile` is off',
      `Set \`lockfile\` (default ${DEFAULT_LOCKFILE})`
    )
  }
}
