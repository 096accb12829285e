// The engine in-process, as the adapters call it: options read by the action's own input parser,
// ports that collect the events, a clock whose waits cost no real time, and the log lines the
// action would print for those events. Most behaviour is tested here, against the emulator; the
// end-to-end tests keep the runner's contract.
//
// Two of the action's adapters run here too, on what the engine reports: the runner's cache (the
// tool cache under RUNNER_TOOL_CACHE) and the job summary. Delivery is in harness/delivery.ts, the
// whole action and the command-line program in-process in harness/in-process.ts.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Emulator } from '../emulator/server.ts'
import { chooseCache } from '../src/action/cache.js'
import type { Logger } from '../src/action/log.js'
import { writeCheckSummary, writePullSummary } from '../src/action/summary.js'
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
import { recordingLogger, setEnvironment, sharedSummaryFile, withoutOutput } from './in-process.ts'
import { emulatorInputs, scratchFolder } from './runner.ts'

export interface EngineRun {
  workspace: string
  options: ActionInputs
  events: RunEvent[]
  clock: TestClock
  /** Every echo3D and proxy credential of the run, as the command-line program's redactor holds them. */
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
  /** The run's clock, for a test that moves the time on; a fresh one otherwise. */
  clock?: TestClock
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
  const adapterLog = recordingLogger()
  const clock = settings.clock ?? new TestClock()
  const { apiKey, email, userKey, secretKey } = options.credentials
  const redactor = new Redactor([apiKey, email, userKey, secretKey, ...proxyCredentials(proxy)])
  const ports: EnginePorts = {
    emit: event => events.push(event),
    cache: await cachePort(settings.cache, options, adapterLog),
    redactor,
    clock,
    onBytes: settings.onBytes
  }
  const log = (): string => [...events.map(lineText), ...adapterLog.lines].join('\n')
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
    scope: options,
    timeoutMs: options.timeoutMs,
    log
  })
  // @actions/cache writes its lines to stdout as workflow commands: not the test's.
  const vouchFor = chosen.vouchFor?.bind(chosen)
  const receive = chosen.receive?.bind(chosen)
  return {
    find: content => withoutOutput(() => chosen.find(content)),
    ...(vouchFor ? { vouchFor: storageId => withoutOutput(() => vouchFor(storageId)) } : {}),
    ...(receive ? { receive } : {}),
    store: (storageId, filePath, content) =>
      withoutOutput(() => chosen.store(storageId, filePath, content)),
    finish: held => withoutOutput(() => chosen.finish(held))
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
  const summaryFile = await sharedSummaryFile()
  await writeFile(summaryFile, '')
  const restore = setEnvironment({ GITHUB_STEP_SUMMARY: summaryFile })
  try {
    await write()
  } finally {
    restore()
  }
  return readFile(summaryFile, 'utf8')
}
