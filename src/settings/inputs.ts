// Reads and validates every input before anything touches the network, and reports every bad
// input at once, each with the fix.

import path from 'node:path'
import {
  isBelow,
  isInside,
  isLoopbackHost,
  isPlainName,
  NO_PROXY,
  type EngineOptions,
  type ProxySettings
} from '../engine/index.js'
import { InputError } from '../errors.js'
import { KNOWN_FORMATS, parseRequestedFormat, type RequestedFormat } from '../formats.js'
import {
  PREVIEW_MODES,
  type Credentials,
  type EntrySelection,
  type PreviewMode,
  type Selection,
  type Shard,
  type UnityProjectSetting,
  type Verification
} from '../model.js'
import {
  SELECTION_KEYS,
  type ConfigKey,
  type ConfigValues,
  type ValueCheck
} from './config-values.js'
import { parseBudgets } from './budgets.js'
import { parseEntryOptimize, parseOptimize } from './optimize.js'
import { parseDeliveryInputs, type CommitMode, type DeliveryInputs } from './delivery.js'
import { INPUTS, withDefaults, type InputName, type InputReader, type InputValue } from './spec.js'
import {
  InputCheck,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseInteger,
  parseSize,
  splitList,
  splitTags
} from './values.js'

type RunMode = 'pull' | 'check'

export type BudgetMode = 'fail' | 'warn'

export interface ActionInputs extends EngineOptions {
  mode: RunMode
  /** `fail`: a model over budget fails the step (after everything is written); `warn`: it does not. */
  budgetMode: BudgetMode
  /** Cache fetched files on the runner. */
  cache: boolean
  delivery: DeliveryInputs
  previews: PreviewMode
}

const FILE_NAME_PLACEHOLDERS = ['name', 'entry', 'format', 'ext'] as const

/** An entry ID as echo3D gives it: one word of letters, digits, hyphens and underscores. */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
const STORAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)?$/
export const MAX_RETRIES = 10
const MAX_CONCURRENCY = 32
const MAX_CONVERSION_CONCURRENCY = 64

/** Reads and validates every input. Pure: it reads through `read` and touches no network or disk. */
export function parseInputs(
  read: InputReader,
  workspace: string,
  proxy: ProxySettings = NO_PROXY,
  config?: ConfigValues
): ActionInputs {
  const value = config ? withConfigFile(read, config) : withDefaults(read)
  const check = new InputCheck()
  const inputs: ActionInputs = {
    workspace,
    proxy,
    credentials: check.attempt(() => parseCredentials(value), NO_CREDENTIALS),
    apiUrl: check.attempt(() => parseApiUrl(value('api-url')), new URL('https://invalid')),
    selection: parseSelection(value, check),
    convertMissing: check.attempt(
      () => parseBoolean('convert-missing', value('convert-missing')),
      false
    ),
    ...parseLimits(value, check),
    destination: check.attempt(() => parseDestination(value('path'), workspace), workspace),
    fileNameTemplate: check.attempt(() => parseFileNameTemplate(value('file-name')), ''),
    cache: check.attempt(() => parseBoolean('cache', value('cache')), false),
    delivery: parseDeliveryInputs(value, check),
    mode: check.attempt(() => parseChoice('mode', value('mode'), RUN_MODES), 'pull'),
    verify: check.attempt(() => parseChoice('verify', value('verify'), VERIFICATIONS), 'lockfile'),
    lockfile: lockfileInput(value, check, workspace),
    prune: check.attempt(() => parseBoolean('prune', value('prune')), false),
    budgets: check.attempt(() => parseBudgets(value('budgets')), []),
    budgetMode: check.attempt(
      () => parseChoice('budget-mode', value('budget-mode'), BUDGET_MODES),
      'fail'
    ),
    shard: check.attempt(() => parseShard(value('shard')), undefined),
    optimize: check.attempt(() => parseOptimize(value('optimize')), undefined),
    previews: check.attempt(
      () => parseChoice('previews', value('previews'), PREVIEW_MODES),
      'false'
    ),
    unityProject: check.attempt(
      () => parseUnityProject(value('unity-project'), workspace),
      UNITY_OFF
    )
  }
  for (const entry of inputs.selection.entries) {
    entry.fileName = config?.entryFileNames.get(entry.id)
    const optimize = config?.entryOptimize.get(entry.id)
    if (optimize === undefined) continue
    const id = entry.id
    entry.optimize = check.attempt(() => parseEntryOptimize(optimize, inputs.optimize, id), false)
  }
  check.attempt(() => checkLockfileNeeded(inputs.mode, inputs.prune, inputs.lockfile), undefined)
  check.attempt(() => checkShardDelivery(inputs.shard, inputs.delivery.commit), undefined)
  check.attempt(() => checkSomethingSelected(inputs.selection, check), undefined)
  check.throwIfAny()
  return inputs
}

/**
 * The inputs with the configuration file's values: the file's entries, tags and files add to the
 * inputs'; its other values stand in for an input that is left at its default in the workflow.
 */
function withConfigFile(read: InputReader, config: ConfigValues): InputValue {
  const value = withDefaults(read)
  return name => {
    const fromFile = config.texts[name as ConfigKey]
    if (fromFile === undefined) return value(name)
    if (SELECTION_KEYS.includes(name as ConfigKey)) return `${value(name)}\n${fromFile}`.trim()
    const given = read(name).trim()
    const spec = INPUTS[name]
    const isDefault = 'default' in spec && given === spec.default
    return given && !isDefault ? given : fromFile
  }
}

/** The configuration file's values, checked by the parsers of the inputs they stand for. */
export function configValueCheck(workspace: string): ValueCheck {
  const parsers: Record<ConfigKey, (text: string) => unknown> = {
    entries: parseEntries,
    tags: splitTags,
    files: parseStorageIds,
    formats: text => parseFormats('formats', text),
    'convert-missing': text => parseBoolean('convert-missing', text),
    path: text => parseDestination(text, workspace),
    'file-name': parseFileNameTemplate,
    budgets: parseBudgets,
    optimize: parseOptimize,
    'unity-project': text => parseUnityProject(text, workspace)
  }
  return (name, text) => parsers[name](text)
}

const MAX_SHARDS = 256
const SHARD_FIX =
  "Use k/n, the job's shard and the number of shards, such as `shard: ${{ matrix.shard }}/4` with `matrix: { shard: [1, 2, 3, 4] }`"

/** `k/n`: this job's part, from 1 to n, of a selection split n ways. Blank: the whole selection. */
export function parseShard(raw: string): Shard | undefined {
  if (!raw) return undefined
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(raw)
  if (!match) throw new InputError('shard', `'${raw}' is not k/n`, SHARD_FIX)
  const [index, count] = [Number(match[1]), Number(match[2])]
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new InputError(
      'shard',
      `'${raw}' is not a shard: k must be from 1 to n, and n from 1 to ${MAX_SHARDS}`,
      SHARD_FIX
    )
  }
  return { index, count }
}

/** Shards would each reset the one pull-request branch to their own part. */
function checkShardDelivery(shard: Shard | undefined, commit: CommitMode): void {
  if (!shard || commit !== 'pull-request') return
  throw new InputError(
    'shard',
    'shards cannot share one pull request: each would reset its branch to its own part',
    'Use `commit: push` (shards merge their commits and the lockfile), or `upload-artifact: true` and a later job that commits'
  )
}

const NO_CREDENTIALS: Credentials = { apiKey: '', email: '', userKey: '', secretKey: '' }

function parseSelection(value: InputValue, check: InputCheck): Selection {
  return {
    entries: check.attempt(() => parseEntries(value('entries')), []),
    tags: splitTags(value('tags')),
    defaultFormats: check.attempt(() => parseFormats('formats', value('formats')), []),
    files: check.attempt(() => parseStorageIds(value('files')), [])
  }
}

/** A selection that could not be read was reported as what it is; an empty one is reported here. */
function checkSomethingSelected({ entries, tags, files }: Selection, check: InputCheck): void {
  if (entries.length > 0 || tags.length > 0 || files.length > 0) return
  if (check.errors.some(error => error.input === 'entries' || error.input === 'files')) return
  throw new InputError(
    'entries',
    'nothing is selected',
    'Set at least one of `entries`, `tags` or `files`'
  )
}

function parseLimits(
  value: InputValue,
  check: InputCheck
): Pick<
  ActionInputs,
  'timeoutMs' | 'retries' | 'concurrency' | 'conversionConcurrency' | 'maxFileBytes'
> {
  return {
    timeoutMs: check.attempt(() => parseDuration('timeout', value('timeout')), 0),
    retries: check.attempt(() => parseInteger('retries', value('retries'), 0, MAX_RETRIES), 0),
    concurrency: check.attempt(
      () => parseInteger('concurrency', value('concurrency'), 1, MAX_CONCURRENCY),
      1
    ),
    conversionConcurrency: check.attempt(
      () =>
        parseInteger(
          'conversion-concurrency',
          value('conversion-concurrency'),
          1,
          MAX_CONVERSION_CONCURRENCY
        ),
      1
    ),
    maxFileBytes: check.attempt(() => parseSize('max-file-size', value('max-file-size')), 0)
  }
}

function parseCredentials(value: InputValue): Credentials {
  const required = (name: InputName): string => {
    const text = value(name)
    if (!text) {
      throw new InputError(
        name,
        'it is required and empty',
        `Store the value as a repository secret and pass it as \`${name}: \${{ secrets.… }}\``
      )
    }
    return text
  }
  return {
    apiKey: required('api-key'),
    email: required('email'),
    userKey: required('user-key'),
    secretKey: value('secret-key')
  }
}

export function parseApiUrl(raw: string): URL {
  const text = raw.trim()
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

/** The ID is quoted, not its line: the CLI's `--entries` values are not lines. */
function checkEntryId(id: string): string {
  if (!ENTRY_ID_PATTERN.test(id)) {
    throw new InputError(
      'entries',
      `'${id}' is not an echo3D entry ID`,
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

  for (const rawLine of raw.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim()
    if (!line) continue
    const colon = line.indexOf(':')
    if (colon === -1) {
      for (const id of line.split(/[\s,]+/).filter(Boolean)) add(checkEntryId(id), [])
      continue
    }
    const id = checkEntryId(line.slice(0, colon).trim())
    add(id, parseFormats('entries', line.slice(colon + 1)))
  }
  return [...byId.values()]
}

function parseStorageIds(raw: string): string[] {
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
  const destination = path.resolve(workspace, raw.trim())
  if (!isInside(workspace, destination)) {
    throw new InputError(
      'path',
      `'${raw.trim()}' is outside the workspace`,
      'Use a folder relative to the workspace, such as assets/echo3d'
    )
  }
  const names = path.relative(workspace, destination).split(path.sep)
  const unplain = names.find(name => name && !isPlainName(name))
  if (unplain !== undefined) {
    throw new InputError(
      'path',
      `'${raw.trim()}' has a folder name the action would not write itself: '${unplain}'`,
      'Use plain folder names: none that starts with a dot (such as .git), and no control characters or < > : " | ? *'
    )
  }
  return destination
}

const UNITY_OFF = { kind: 'off' } as const

/**
 * `unity-project`: blank looks for a Unity project in the workspace; `false` never writes a
 * `.meta`; `true` says the workspace is one; a folder names the project's, inside the workspace.
 */
function parseUnityProject(raw: string, workspace: string): UnityProjectSetting {
  const text = raw.trim()
  if (!text) return { kind: 'auto' }
  const switched = text.toLowerCase()
  if (switched === 'false') return UNITY_OFF
  const folder = path.resolve(workspace, switched === 'true' ? '.' : text)
  if (!isInside(workspace, folder)) {
    throw new InputError(
      'unity-project',
      `'${text}' is outside the workspace`,
      "Name the Unity project's folder relative to the workspace, such as game, or leave it empty to look in the workspace"
    )
  }
  return { kind: 'at', folder }
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
export const BUDGET_MODES: readonly BudgetMode[] = ['fail', 'warn']
export const VERIFICATIONS: readonly Verification[] = ['lockfile', 'content']
const DEFAULT_LOCKFILE = INPUTS.lockfile.default

/** A `path` already refused stands for no folder in the lockfile's `{path}`: one error, not two. */
function lockfileInput(
  value: InputValue,
  check: InputCheck,
  workspace: string
): string | undefined {
  const folder = check.refused('path') ? '.' : value('path')
  return check.attempt(() => parseLockfilePath(value('lockfile'), folder, workspace), undefined)
}

/** A blank `lockfile` turns the lockfile off: the runner passes the default when it is absent. */
function parseLockfilePath(
  raw: string,
  destinationInput: string,
  workspace: string
): string | undefined {
  const template = raw.trim()
  if (!template) return undefined
  const relative = template.replace('{path}', destinationInput.trim())
  const absolute = path.resolve(workspace, relative)
  if (!isBelow(workspace, absolute)) {
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
