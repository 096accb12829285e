// The flags of `pull`, `check` and `prune`, read as the action reads its inputs: the same parsers,
// the same configuration file and the same defaults, so that a selection means the same files on a
// laptop as in CI.

import { existsSync } from 'node:fs'
import path from 'node:path'
import type { ProxySettings } from '../engine/index.js'
import { ConfigurationError } from '../errors.js'
import type { Credentials } from '../model.js'
import { isConfigKey, SELECTION_KEYS, type ConfigValues } from '../settings/config-values.js'
import { parseInputs, type ActionInputs } from '../settings/inputs.js'
import { loadConfigFile } from '../settings/load-config.js'
import { defaultOf, type InputName, type InputReader } from '../settings/spec.js'

/** The flags as commander gives them; each stands for the input of the same name. */
export interface SelectionFlags {
  config?: string
  entries?: string[]
  tags?: string
  files?: string
  formats?: string
  convertMissing?: boolean
  path?: string
  fileName?: string
  /** `false` with --no-lockfile. */
  lockfile?: string | false
  apiUrl?: string
  concurrency?: string
  conversionConcurrency?: string
  timeout?: string
  retries?: string
  maxFileSize?: string
  verify?: string
  prune?: boolean
  budgetMode?: string
  optimize?: string
  unityProject?: string
}

type FlagValue = SelectionFlags[keyof SelectionFlags]

/** The input each flag stands for; the flag is `--` and the input's name. */
export const FLAG_INPUTS = {
  config: 'config',
  entries: 'entries',
  tags: 'tags',
  files: 'files',
  formats: 'formats',
  convertMissing: 'convert-missing',
  path: 'path',
  fileName: 'file-name',
  lockfile: 'lockfile',
  apiUrl: 'api-url',
  concurrency: 'concurrency',
  conversionConcurrency: 'conversion-concurrency',
  timeout: 'timeout',
  retries: 'retries',
  maxFileSize: 'max-file-size',
  verify: 'verify',
  prune: 'prune',
  budgetMode: 'budget-mode',
  optimize: 'optimize',
  unityProject: 'unity-project'
} as const satisfies Record<keyof SelectionFlags, InputName>

/** The configuration file a workspace has when --config names none. */
export const DEFAULT_CONFIG_FILE = 'echo3d.yml'

export interface RunPlace {
  workspace: string
  credentials: Credentials
  proxy: ProxySettings
  /** From ECHO3D_API_URL, when set; --api-url wins. */
  apiUrl?: string
}

/** The engine's options for a verb, checked as the action checks its inputs. */
export async function selectionOptions(
  flags: SelectionFlags,
  mode: 'pull' | 'check',
  place: RunPlace
): Promise<ActionInputs> {
  const configFile = flags.config
    ? givenConfigFile(flags.config, place.workspace)
    : defaultConfigFile(place.workspace)
  if (!configFile && !flags.entries && !flags.tags && !flags.files) {
    throw new ConfigurationError(
      `Nothing is selected: ${place.workspace} has no ${DEFAULT_CONFIG_FILE}. Write one with \`echo3d-assets init\`, or pass --entries, --tags or --files`
    )
  }
  const fromFile = configFile ? await loadConfigFile(place.workspace, configFile) : undefined
  const config = fromFile && withFlagsFirst(fromFile, flags)
  return parseInputs(flagReader(flags, mode, place), place.workspace, place.proxy, config)
}

/**
 * The file's values, less those a flag sets. The action takes an input left at its default for
 * one left out (the runner passes both alike), so the file's value stands; a flag typed on the
 * command line is known to be given, and wins, even at the default. Entries, tags and files add.
 */
function withFlagsFirst(config: ConfigValues, flags: SelectionFlags): ConfigValues {
  const texts = { ...config.texts }
  for (const [flag, input] of Object.entries(FLAG_INPUTS)) {
    if (flags[flag as keyof SelectionFlags] === undefined) continue
    if (isConfigKey(input) && !SELECTION_KEYS.includes(input)) delete texts[input]
  }
  return { ...config, texts }
}

/** --config names a file from the current folder, as any path typed in a shell does. */
function givenConfigFile(given: string, workspace: string): string {
  const absolute = path.resolve(given)
  if (!existsSync(absolute)) {
    throw new ConfigurationError(
      `--config: '${given}' does not exist in ${process.cwd()}. It is found from the current folder; check the path, or run \`echo3d-assets init\``
    )
  }
  return path.relative(workspace, absolute)
}

function defaultConfigFile(workspace: string): string {
  return existsSync(path.join(workspace, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : ''
}

/**
 * Each input as the runner would pass it: the flag's value, or the input's default when the flag
 * is absent, so that the configuration file combines with flags as it does with inputs.
 */
function flagReader(flags: SelectionFlags, mode: 'pull' | 'check', place: RunPlace): InputReader {
  const fixed: Partial<Record<InputName, string>> = {
    'api-key': place.credentials.apiKey,
    email: place.credentials.email,
    'user-key': place.credentials.userKey,
    'secret-key': place.credentials.secretKey,
    mode,
    // The runner's cache is the action's; on a laptop the files on disk are the cache.
    cache: 'false',
    'github-token': ''
  }
  const flagOf = new Map<InputName, keyof SelectionFlags>(
    Object.entries(FLAG_INPUTS).map(([flag, input]) => [input, flag as keyof SelectionFlags])
  )
  return name => {
    if (name in fixed) return fixed[name] ?? ''
    const flag = flagOf.get(name)
    const given: FlagValue = flag === undefined ? undefined : flags[flag]
    if (given === undefined && name === 'api-url' && place.apiUrl) return place.apiUrl
    return flagText(given) ?? defaultOf(name)
  }
}

function flagText(value: FlagValue): string | undefined {
  if (value === undefined) return undefined
  if (value === false) return ''
  if (value === true) return 'true'
  if (Array.isArray(value)) return value.join('\n')
  return value
}
