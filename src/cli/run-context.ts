// What every verb works with: the workspace, the credentials and proxy, and the terminal.

import {
  proxyCredentials,
  proxySettingsFrom,
  removePartialsNow,
  SYSTEM_CLOCK,
  type RequestPorts
} from '../engine/index.js'
import { statSync } from 'node:fs'
import os from 'node:os'
import { ConfigurationError } from '../errors.js'
import { Redactor } from '../secrets.js'
import type { Display } from './display.js'
import {
  API_URL_VARIABLE,
  credentialsFrom,
  findWorkspace,
  ignoredInDotEnvWarning,
  readVariables
} from './environment.js'
import type { RunPlace } from './selection.js'
import { Terminal, type OutputOptions } from './terminal.js'

/** The flags every verb takes. */
export interface GlobalFlags {
  workspace?: string
  json?: boolean
  quiet?: boolean
  verbose?: boolean
  color?: boolean
}

export interface VerbContext {
  place: RunPlace
  terminal: Terminal
  /** Every credential, in every form: the terminal's and the engine's one redactor. */
  redactor: Redactor
}

export function outputOptions(flags: GlobalFlags): OutputOptions {
  return {
    json: flags.json ?? false,
    quiet: flags.quiet ?? false,
    verbose: flags.verbose ?? false,
    color: flags.color ?? true
  }
}

export function workspaceOf(flags: GlobalFlags): string {
  if (
    flags.workspace !== undefined &&
    !statSync(flags.workspace, { throwIfNoEntry: false })?.isDirectory()
  ) {
    throw new ConfigurationError(
      `-C: '${flags.workspace}' is not a folder. Name the repository to work in`
    )
  }
  return findWorkspace(flags.workspace ?? process.cwd())
}

/** The place and a terminal that redacts every credential, for a verb that talks to echo3D. */
export async function echo3dContext(flags: GlobalFlags): Promise<VerbContext> {
  const workspace = workspaceOf(flags)
  const { variables, ignoredInDotEnv } = await readVariables(workspace, process.env)
  const credentials = credentialsFrom(variables, workspace)
  const proxy = proxySettingsFrom(process.env)
  const { apiKey, email, userKey, secretKey } = credentials
  const redactor = new Redactor([apiKey, email, userKey, secretKey, ...proxyCredentials(proxy)])
  const place: RunPlace = {
    workspace,
    credentials,
    proxy,
    apiUrl: variables(API_URL_VARIABLE) || undefined
  }
  const terminal = new Terminal(redactor, outputOptions(flags))
  for (const name of ignoredInDotEnv) terminal.warn(ignoredInDotEnvWarning(name))
  return { place, redactor, terminal }
}

/** What the engine reports to for a verb: the display, the verb's redactor, the system's time. */
export function requestPorts(context: VerbContext, display: Display): RequestPorts {
  return { emit: display.emit, redactor: context.redactor, clock: SYSTEM_CLOCK }
}

/** Ctrl+C, a closed terminal, a kill; the exit code is 128 + the signal's number, as shells report. */
const SIGNALS = ['SIGINT', 'SIGHUP', 'SIGTERM'] as const

/**
 * Ctrl+C (or a kill) while files are written: the partial files go, the live rows go, and the
 * program ends as shells expect (130 for Ctrl+C). Returns the function that stops listening.
 */
export function removePartialsOnInterrupt(display: Display, terminal: Terminal): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    display.stop()
    removePartialsNow()
    terminal.error(`Interrupted (${signal}); the files being written were removed`)
    process.exit(128 + os.constants.signals[signal])
  }
  for (const signal of SIGNALS) process.once(signal, onSignal)
  return () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal)
  }
}
