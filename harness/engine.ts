// The engine in-process, as the adapters call it: options read by the action's own input parser,
// ports that collect the events, a clock whose waits cost no real time, and the log lines the
// action would print for those events. Most behaviour is tested here, against the emulator; the
// end-to-end tests keep the runner's contract.

import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Emulator } from '../emulator/server.ts'
import {
  checkAssets,
  NO_CACHE,
  pruneAssets,
  pullAssets,
  type AssetCache,
  type EnginePorts,
  type RunEvent
} from '../src/engine/index.js'
import type { CheckReport, PruneReport, PullReport } from '../src/model.js'
import { logLineOf } from '../src/report/log-lines.js'
import { Redactor } from '../src/secrets.js'
import type { ConfigValues } from '../src/settings/config-values.js'
import { parseInputs, type ActionInputs } from '../src/settings/inputs.js'
import type { InputName } from '../src/settings/spec.js'
import { TestClock } from './clock.ts'
import { emulatorInputs, scratchFolder } from './runner.ts'

export interface EngineRun {
  workspace: string
  options: ActionInputs
  events: RunEvent[]
  clock: TestClock
  /** The events as the job log would show them, one line each (debug lines included). */
  log(): string
}

export interface EngineRunOptions {
  /** Inputs by their action.yml names, as a workflow would give them. */
  inputs?: Partial<Record<InputName, string>>
  /** Reuse a workspace (a second run on the same checkout); a fresh one otherwise. */
  workspace?: string
  cache?: AssetCache
  config?: ConfigValues
  onBytes?: EnginePorts['onBytes']
}

/** A run's options and ports, not started yet. */
export async function prepareRun(
  emulator: Emulator,
  settings: EngineRunOptions = {}
): Promise<{ run: EngineRun; ports: EnginePorts }> {
  const workspace = settings.workspace ?? path.join(await scratchFolder('engine'), 'workspace')
  await mkdir(workspace, { recursive: true })
  const inputs: Record<string, string> = { ...emulatorInputs(emulator), ...settings.inputs }
  const options = parseInputs(name => inputs[name] ?? '', workspace, undefined, settings.config)
  const events: RunEvent[] = []
  const clock = new TestClock()
  const ports: EnginePorts = {
    emit: event => events.push(event),
    cache: settings.cache ?? NO_CACHE,
    redactor: new Redactor(Object.values(options.credentials)),
    clock,
    onBytes: settings.onBytes
  }
  const log = (): string => events.map(lineText).join('\n')
  return { run: { workspace, options, events, clock, log }, ports }
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
