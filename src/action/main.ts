// The action: read the inputs, run the engine with ports backed by the runner, and turn its report
// into outputs, the job summary and delivery. `failStep` is the one place that fails the step.

import * as core from '@actions/core'
import {
  checkAssets,
  proxyCredentials,
  proxySettingsFrom,
  pullAssets,
  removePartialsNow,
  SYSTEM_CLOCK,
  type ProxySettings,
  type RequestPorts
} from '../engine/index.js'
import { forLog } from '../escape.js'
import {
  AssetFailures,
  CancelledError,
  ExplainedError,
  ModelsOverBudget,
  StaleAssets,
  errorMessage
} from '../errors.js'
import type { BudgetBreach, CheckReport } from '../model.js'
import { breachText } from '../report/model-review.js'
import { Redactor } from '../secrets.js'
import { chooseCache, type RunnerCache } from './cache.js'
import { checkDeliveryPossible, deliverReport } from './delivery/deliver.js'
import { parseInputs, type ActionInputs, type BudgetMode } from '../settings/inputs.js'
import type { ConfigValues } from '../settings/config-values.js'
import { SECRET_INPUTS } from '../settings/spec.js'
import { createLogger, logEvents, type Logger } from './log.js'
import {
  setCheckOutputs,
  setDeliveryOutputs,
  setPreviewOutputs,
  setPullOutputs
} from './outputs.js'
import {
  makePreviews,
  missingRequiredPreviews,
  undeliveredRequiredPreviews,
  type PreviewJob
} from './previews.js'
import { writeCheckSummary, writePullSummary } from './summary.js'

/** What one run needs at every step. */
interface StepContext {
  inputs: ActionInputs
  log: Logger
  redactor: Redactor
}

/** How the step ended: the error that fails it, if any, and whether the process must exit itself. */
interface StepEnd {
  failure?: unknown
  exitExplicitly: boolean
}

export async function run(): Promise<void> {
  const proxy = proxySettingsFrom(process.env)
  const redactor = protectCredentials(proxy)
  const log = createLogger(redactor)
  failOnCancel(redactor)
  const end = await runStep(log, redactor, proxy)
  if ('failure' in end) failStep(end.failure, redactor)
  // Honours the exit code setFailed set; see RunnerCache.leavesWorkBehind.
  if (end.exitExplicitly) process.exit()
}

/**
 * Registers every credential, in every encoding it can take, before anything is logged: the
 * secret inputs, and a proxy's user name and password.
 */
function protectCredentials(proxy: ProxySettings): Redactor {
  const inputs = SECRET_INPUTS.map(name => core.getInput(name).trim())
  const redactor = new Redactor([...inputs, ...proxyCredentials(proxy)])
  for (const form of redactor.maskedForms) core.setSecret(form)
  return redactor
}

/**
 * A cancelled job gets SIGINT, then SIGTERM (on Windows, SIGINT or SIGBREAK): files half written
 * are removed before it ends.
 */
function failOnCancel(redactor: Redactor): void {
  const signals = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM']
  for (const signal of signals) {
    process.once(signal, () => {
      removePartialsNow()
      failStep(new CancelledError(signal), redactor)
      process.exit()
    })
  }
}

/** The one place that fails the step. The message keeps its lines; each is escaped like a log line. */
function failStep(error: unknown, redactor: Redactor): void {
  const message =
    error instanceof ExplainedError ? error.message : `Unexpected error: ${errorMessage(error)}`
  core.setFailed(redactor.redact(message).split('\n').map(forLog).join('\n'))
}

async function runStep(log: Logger, redactor: Redactor, proxy: ProxySettings): Promise<StepEnd> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const config = await readConfig(workspace, core.getInput('config'))
    const inputs = parseInputs(name => core.getInput(name), workspace, proxy, config)
    checkDeliveryPossible(inputs.delivery, process.env.GITHUB_SERVER_URL)
    const context: StepContext = { inputs, log, redactor }
    if (inputs.mode === 'pull') return await runPull(context)
    await runCheck(context)
    return { exitExplicitly: false }
  } catch (failure) {
    return { failure, exitExplicitly: false }
  }
}

/** The YAML reader is loaded only for a run that names a configuration file. */
async function readConfig(workspace: string, raw: string): Promise<ConfigValues | undefined> {
  if (!raw.trim()) return undefined
  const { loadConfigFile } = await import('../settings/load-config.js')
  return loadConfigFile(workspace, raw)
}

/** Pulls with the runner's cache, which decides how the process must end. */
async function runPull(context: StepContext): Promise<StepEnd> {
  const { inputs, log } = context
  const cache = await chooseCache({
    enabled: inputs.cache,
    env: process.env,
    scope: inputs,
    timeoutMs: inputs.timeoutMs,
    log
  })
  try {
    await pullAndDeliver(context, cache)
    return { exitExplicitly: cache.leavesWorkBehind }
  } catch (failure) {
    return { failure, exitExplicitly: cache.leavesWorkBehind }
  }
}

/** Pulls, prunes and writes the lockfile; then reports, delivers, and fails if anything failed. */
async function pullAndDeliver(context: StepContext, cache: RunnerCache): Promise<void> {
  const { inputs, log, redactor } = context
  const report = await pullAssets(inputs, { ...requestPorts(context), cache })
  await setPullOutputs(report, process.env)
  annotateBreaches(report.overBudget)
  const previews = await makePreviews(report, previewJob(context))
  const missing = missingRequiredPreviews(previews, inputs.previews)
  if (missing) {
    const skipped = { kind: 'skipped', reason: missing.message } as const
    await setPreviewOutputs(previews, skipped, process.env)
    await writePullSummary(report, skipped, redactor, previews)
    throw missing
  }
  const scene = {
    ...inputs,
    pushOverBudget: inputs.budgetMode === 'warn',
    pictures: previews
  }
  const delivery = await deliverReport(inputs.delivery, report, scene, log)
  setDeliveryOutputs(delivery, inputs.delivery.commit)
  await setPreviewOutputs(previews, delivery, process.env)
  await writePullSummary(report, delivery, redactor, previews)
  if (report.failures.length > 0) throw new AssetFailures(report.failures)
  if (delivery.kind === 'failed') throw delivery.error
  const undelivered = undeliveredRequiredPreviews(delivery, inputs.previews)
  if (undelivered) throw undelivered
  failOverBudget(report.overBudget, inputs.budgetMode)
}

function previewJob({ inputs, log }: StepContext): PreviewJob {
  return { mode: inputs.previews, workspace: inputs.workspace, env: process.env, log }
}

/** The engine reports to the job log, quotes through the step's redactor, and keeps real time. */
function requestPorts(context: StepContext): RequestPorts {
  return { emit: logEvents(context.log), redactor: context.redactor, clock: SYSTEM_CLOCK }
}

/** At most this many annotations: GitHub shows ten errors per step. */
const MAX_BUDGET_ANNOTATIONS = 10

/** Each broken budget as an error annotation on the model's file, in the run's page and the diff. */
function annotateBreaches(breaches: readonly BudgetBreach[]): void {
  for (const breach of breaches.slice(0, MAX_BUDGET_ANNOTATIONS)) {
    core.error(forLog(breachText(breach)), { title: 'Over budget', file: breach.path })
  }
}

function failOverBudget(breaches: readonly BudgetBreach[], mode: BudgetMode): void {
  if (breaches.length === 0 || mode === 'warn') return
  throw new ModelsOverBudget(
    breaches.map(breachText),
    'Raise the budgets, or set `budget-mode: warn` to report them without failing'
  )
}

/** `mode: check`: one metadata query, no file transferred, nothing written but outputs and summary. */
async function runCheck(context: StepContext): Promise<void> {
  const report = await checkAssets(context.inputs, requestPorts(context))
  await setCheckOutputs(report, process.env)
  annotateBreaches(report.overBudget)
  await writeCheckSummary(report, context.redactor)
  const found = checkProblems(report)
  if (found.length === 1) throw found[0]
  if (found.length > 1) throw new ExplainedError(found.map(error => error.message).join('\n'))
  failOverBudget(report.overBudget, context.inputs.budgetMode)
}

/** The failed assets and the stale files of a check: the step's error names both. */
function checkProblems(report: CheckReport): ExplainedError[] {
  const found: ExplainedError[] = []
  if (report.failures.length > 0) found.push(new AssetFailures(report.failures))
  if (report.stale.length > 0) {
    found.push(new StaleAssets(report.stale, 'Run the action with `mode: pull` to update them'))
  }
  return found
}
