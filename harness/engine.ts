// The engine in-process, as the adapters call it: options read by the action's own input parser,
// ports that collect the events, a clock whose waits cost no real time, and the log lines the
// action would print for those events. Most behaviour is tested here, against the emulator; the
// end-to-end tests keep the runner's contract.
//
// The action's own adapters run in-process here too, on what the engine reports: the runner's
// cache (the tool cache under RUNNER_TOOL_CACHE), the job summary, delivery, and the command-line
// program. Each reads the process's environment as it would read the runner's or the shell's.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import tls from 'node:tls'
import type { GitHubDouble } from '../doubles/github-api.ts'
import type { Emulator } from '../emulator/server.ts'
import { chooseCache } from '../src/action/cache.js'
import { deliverReport } from '../src/action/delivery/deliver.js'
import type { Logger } from '../src/action/log.js'
import { writeCheckSummary, writePullSummary } from '../src/action/summary.js'
import { main as cliMain } from '../src/cli/program.js'
import {
  checkAssets,
  NO_CACHE,
  NO_PROXY,
  proxyCredentials,
  pruneAssets,
  pullAssets,
  type AssetCache,
  type EnginePorts,
  type ProxySettings,
  type RunEvent
} from '../src/engine/index.js'
import type { CheckReport, DeliveryReport, PruneReport, PullReport } from '../src/model.js'
import { logLineOf } from '../src/report/log-lines.js'
import { Redactor } from '../src/secrets.js'
import type { ConfigValues } from '../src/settings/config-values.js'
import { parseInputs, type ActionInputs } from '../src/settings/inputs.js'
import { loadConfigFile } from '../src/settings/load-config.js'
import { defaultOf, type InputName } from '../src/settings/spec.js'
import { TestClock } from './clock.ts'
import { emulatorInputs, scratchFolder } from './runner.ts'

export interface EngineRun {
  workspace: string
  options: ActionInputs
  events: RunEvent[]
  clock: TestClock
  /** Every credential the run knows, the proxy's included, as the action's redactor holds them. */
  redactor: Redactor
  /** The events as the job log would show them, one line each (debug lines included). */
  log(): string
}

export interface EngineRunOptions {
  /** Inputs by their action.yml names, as a workflow would give them. */
  inputs?: Partial<Record<InputName, string>>
  /** Reuse a workspace (a second run on the same checkout); a fresh one otherwise. */
  workspace?: string
  /**
   * The engine's cache port. `'runner'`: the one the action chooses from the `cache` input and
   * the environment, which off GitHub-hosted runners is the tool cache under RUNNER_TOOL_CACHE.
   */
  cache?: AssetCache | 'runner'
  /** The configuration file's values; by default read from the file the `config` input names. */
  config?: ConfigValues
  /** The proxy, as the action reads it from the runner's environment (proxySettingsFrom). */
  proxy?: ProxySettings
  onBytes?: EnginePorts['onBytes']
}

/** A run's options and ports, not started yet. Bad inputs throw here, as they fail the step. */
async function prepareRun(
  emulator: Emulator,
  settings: EngineRunOptions = {}
): Promise<{ run: EngineRun; ports: EnginePorts }> {
  const workspace = settings.workspace ?? path.join(await scratchFolder('engine'), 'workspace')
  await mkdir(workspace, { recursive: true })
  const inputs: Record<string, string> = { ...emulatorInputs(emulator), ...settings.inputs }
  // As the runner does: an input the workflow leaves out has action.yml's default (a blank one
  // turns the lockfile off), and `${{ github.token }}` is the job's token, here none.
  const read = (name: InputName): string =>
    inputs[name] ?? defaultOf(name).replace('${{ github.token }}', '')
  // As the action does: the file that `config` names is read before the inputs are.
  const config = settings.config ?? (await loadConfigFile(workspace, read('config')))
  const proxy = settings.proxy ?? NO_PROXY
  const options = parseInputs(read, workspace, proxy, config)
  const events: RunEvent[] = []
  const adapterLines: string[] = []
  const clock = new TestClock()
  const { apiKey, email, userKey, secretKey } = options.credentials
  const redactor = new Redactor([apiKey, email, userKey, secretKey, ...proxyCredentials(proxy)])
  const ports: EnginePorts = {
    emit: event => events.push(event),
    cache: await cachePort(settings.cache, options, recordingLogger(adapterLines)),
    redactor,
    clock,
    onBytes: settings.onBytes
  }
  const log = (): string => [...events.map(lineText), ...adapterLines].join('\n')
  return { run: { workspace, options, events, clock, redactor, log }, ports }
}

async function cachePort(
  cache: EngineRunOptions['cache'],
  options: ActionInputs,
  log: Logger
): Promise<AssetCache> {
  if (cache !== 'runner') return cache ?? NO_CACHE
  const chosen = await chooseCache({
    enabled: options.cache,
    env: process.env,
    timeoutMs: options.timeoutMs,
    log
  })
  // @actions/tool-cache writes its debug lines to stdout as workflow commands: not the test's.
  return {
    find: storageId => withoutOutput(() => chosen.find(storageId)),
    store: (storageId, filePath, content) =>
      withoutOutput(() => chosen.store(storageId, filePath, content))
  }
}

async function withoutOutput<T>(work: () => Promise<T>): Promise<T> {
  const stopCapture = captureOutput(() => undefined)
  try {
    return await work()
  } finally {
    stopCapture()
  }
}

function recordingLogger(lines: string[]): Logger {
  return {
    info: text => lines.push(text),
    warning: text => lines.push(text),
    debug: text => lines.push(text)
  }
}

function lineText(event: RunEvent): string {
  const line = logLineOf(event)
  if (line.level === 'group') return `[${line.title}]`
  if (line.level === 'end-group') return '[end]'
  return line.text
}

export async function pullWith(
  emulator: Emulator,
  settings: EngineRunOptions = {}
): Promise<EngineRun & { report: PullReport }> {
  const { run, ports } = await prepareRun(emulator, settings)
  return { ...run, report: await pullAssets(run.options, ports) }
}

export async function checkWith(
  emulator: Emulator,
  settings: EngineRunOptions = {}
): Promise<EngineRun & { report: CheckReport }> {
  const { run, ports } = await prepareRun(emulator, {
    ...settings,
    inputs: { mode: 'check', ...settings.inputs }
  })
  return { ...run, report: await checkAssets(run.options, ports) }
}

export async function pruneWith(
  emulator: Emulator,
  settings: EngineRunOptions & { dryRun?: boolean } = {}
): Promise<EngineRun & { report: PruneReport }> {
  const { run, ports } = await prepareRun(emulator, {
    ...settings,
    inputs: { prune: 'true', ...settings.inputs }
  })
  return { ...run, report: await pruneAssets(run.options, ports, settings.dryRun ?? false) }
}

// @actions/core keeps the summary file it first wrote to, for this test file: one file serves all.
let summaryFile: string | undefined

/** The job summary the action writes after a pull (src/action/summary.ts), as its HTML. */
export function pullSummary(
  run: EngineRun & { report: PullReport },
  delivery: DeliveryReport = { kind: 'none' }
): Promise<string> {
  return writtenSummary(() => writePullSummary(run.report, delivery, run.redactor))
}

/** The job summary the action writes after `mode: check`, as its HTML. */
export function checkSummary(run: EngineRun & { report: CheckReport }): Promise<string> {
  return writtenSummary(() => writeCheckSummary(run.report, run.redactor))
}

async function writtenSummary(write: () => Promise<void>): Promise<string> {
  summaryFile ??= path.join(await scratchFolder('summary'), 'summary.html')
  await writeFile(summaryFile, '')
  const restore = setEnvironment({ GITHUB_STEP_SUMMARY: summaryFile })
  try {
    await write()
  } finally {
    restore()
  }
  return readFile(summaryFile, 'utf8')
}

export interface Delivered {
  delivery: DeliveryReport
  /** What delivery logged through the action's logger. */
  log: string
}

/**
 * Delivers a pull's files as the action does after the pull (src/action/delivery), to the GitHub,
 * repository and ref that process.env names, as the runner's environment would. @actions/github
 * takes GITHUB_API_URL when it is first loaded: one GitHub (or double) per test file.
 */
export async function deliverWith(run: EngineRun & { report: PullReport }): Promise<Delivered> {
  const lines: string[] = []
  const scene = { ...run.options, pushOverBudget: run.options.budgetMode === 'warn' }
  const log = recordingLogger(lines)
  // @actions/core's group around delivery goes to stdout: kept out of the test's output.
  const delivery = await withoutOutput(() =>
    deliverReport(run.options.delivery, run.report, scene, log)
  )
  return { delivery, log: lines.join('\n') }
}

/**
 * The runner's variables for a run in this repository of a GitHub (or its double), on `ref`, for
 * delivery: GITHUB_API_URL must be set before @actions/github is first loaded.
 */
export function gitHubEnvironment(
  github: Pick<GitHubDouble, 'url' | 'owner' | 'repo'>,
  ref = 'refs/heads/main'
): Record<string, string | undefined> {
  return {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_REF: ref,
    GITHUB_HEAD_REF: undefined,
    GITHUB_SERVER_URL: undefined
  }
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * The command-line program in-process (src/cli/program.ts), with these variables added to the
 * environment for the run, as a shell would export them. Its output is captured, not printed, and
 * it runs as it does piped, not in a terminal, wherever the tests run.
 */
export async function cliWith(
  args: readonly string[],
  env: Record<string, string | undefined>
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const restore = setEnvironment(env)
  const { isTTY } = process.stdout
  process.stdout.isTTY = false
  const stopCapture = captureOutput(
    text => (stdout += text),
    text => (stderr += text)
  )
  try {
    const code = await cliMain(args)
    return { code, stdout, stderr }
  } finally {
    stopCapture()
    process.stdout.isTTY = isTTY
    restore()
  }
}

/** Sets (or with undefined, removes) variables of process.env; returns what puts them back. */
export function setEnvironment(env: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]))
  const assign = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  assign(env)
  return () => assign(previous)
}

type Sink = (text: string) => void
const stdoutSinks = new Set<Sink>()
const stderrSinks = new Set<Sink>()
let restoreWrites = (): void => undefined

/**
 * Sends what the process writes to stdout and stderr to the sinks instead, while any capture is
 * on: @actions/core writes its workflow commands there, and the command-line program its output.
 */
function captureOutput(stdout: Sink, stderr: Sink = stdout): () => void {
  if (stdoutSinks.size === 0) {
    const restoreStdout = divert(process.stdout, stdoutSinks)
    const restoreStderr = divert(process.stderr, stderrSinks)
    restoreWrites = () => {
      restoreStdout()
      restoreStderr()
    }
  }
  stdoutSinks.add(stdout)
  stderrSinks.add(stderr)
  return () => {
    stdoutSinks.delete(stdout)
    stderrSinks.delete(stderr)
    if (stdoutSinks.size === 0) restoreWrites()
  }
}

/** Replaces the stream's write with one that feeds the sinks; returns what puts it back. */
function divert(stream: NodeJS.WriteStream, sinks: Set<Sink>): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write')
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    for (const sink of sinks) sink(text)
    const callback = rest.find(argument => typeof argument === 'function')
    if (typeof callback === 'function') (callback as () => void)()
    return true
  }
  Object.defineProperty(stream, 'write', { value: write, configurable: true, writable: true })
  return () => {
    if (own) Object.defineProperty(stream, 'write', own)
    else Reflect.deleteProperty(stream, 'write')
  }
}

/**
 * Trusts a test certificate in this process, as NODE_EXTRA_CA_CERTS does in a child: every TLS
 * client that gives no CA of its own (undici, Octokit) takes the default ones. Returns what puts
 * the defaults back.
 */
export function trustCertificate(certificate: string): () => void {
  const defaults = tls.getCACertificates('default')
  tls.setDefaultCACertificates([...defaults, certificate])
  return () => tls.setDefaultCACertificates(defaults)
}
