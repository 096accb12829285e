import * as core from '@actions/core'
import path from 'node:path'
import { chooseCache, type AssetCache } from './cache.js'
import { findStaleAssets, type StaleAsset } from './check.js'
import { deliver, deliveryFiles, wantsDelivery, type DeliveryReport } from './delivery/deliver.js'
import { DeliveryError } from './delivery/github.js'
import { Echo3dClient, type CatalogSession } from './echo3d/client.js'
import { ActionError, AssetFailures, errorMessage } from './errors.js'
import { SECRET_INPUTS, parseInputs, type ActionInputs } from './inputs/inputs.js'
import {
  lockedFilesOf,
  mergeLockfile,
  readLockfile,
  writeLockfile,
  type LockedFile
} from './lockfile.js'
import type { Plan } from './plan.js'
import { pruneCandidates, pruneFiles } from './prune.js'
import { pullPlanned, recordConversions, type PullContext } from './pull.js'
import { createLogger, plural, type Logger } from './report/log.js'
import {
  fileRecords,
  setDeliveryOutputs,
  setOutputs,
  writeCheckSummary,
  writeSummary,
  type RunReport
} from './report/summary.js'
import { workspaceRelative } from './naming.js'
import { resolvePlan } from './resolve.js'
import { Redactor } from './secrets.js'
import { HttpPool } from './transfer/http.js'
import { removePartialsNow, removeStalePartials } from './transfer/partials.js'
import { formatDuration } from './transfer/retry.js'

export async function run(): Promise<void> {
  const redactor = protectCredentials()
  const log = createLogger(redactor)
  removePartialsOnCancel()
  const exit = { explicitly: false }
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const inputs = parseInputs(name => core.getInput(name), workspace)
    if (inputs.mode === 'check') await runCheck(inputs, workspace, log, redactor)
    else await runPull(inputs, workspace, log, redactor, exit)
  } catch (error) {
    reportFailure(error, redactor)
  }
  // Honours the exit code setFailed set; see AssetCache.leavesWorkBehind.
  if (exit.explicitly) process.exit()
}

/** Registers every credential, in every encoding it can take, before anything is logged. */
function protectCredentials(): Redactor {
  const redactor = new Redactor(SECRET_INPUTS.map(name => core.getInput(name).trim()))
  for (const form of redactor.maskedForms) core.setSecret(form)
  return redactor
}

/** A cancelled job gets SIGINT, then SIGTERM: files half written are removed before it ends. */
function removePartialsOnCancel(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removePartialsNow()
      core.setFailed(`Cancelled (${signal}); the files being written were removed`)
      process.exit()
    })
  }
}

/** The one place that fails the step. */
function reportFailure(error: unknown, redactor: Redactor): void {
  const message =
    error instanceof ActionError ? error.message : `Unexpected error: ${errorMessage(error)}`
  core.setFailed(redactor.redact(message))
}

async function runPull(
  inputs: ActionInputs,
  workspace: string,
  log: Logger,
  redactor: Redactor,
  exit: { explicitly: boolean }
): Promise<void> {
  const previous = await readPreviousLockfile(inputs, workspace, log)
  const { plan, report } = await withEcho3d(inputs, log, session =>
    pullSelection(inputs, workspace, session, previous, log, exit)
  )
  const pruned = await pruneIfWanted(inputs, previous, plan, report, log)
  report.pruned = [...pruned].sort()
  if (inputs.lockfile)
    await writeLockfile(
      inputs.lockfile,
      mergeLockfile(previous, lockedFilesOf(fileRecords(report)), pruned)
    )

  setOutputs(report)
  const delivery = await deliverIfWanted(inputs, report, previous, log)
  setDeliveryOutputs(delivery)
  await writeSummary(report, delivery, redactor)
  if (report.failures.length > 0) throw new AssetFailures(report.failures)
  if (delivery.error) throw delivery.error
}

/** Resolves the selection and pulls every file of it: from disk, the cache or echo3D. */
async function pullSelection(
  inputs: ActionInputs,
  workspace: string,
  session: CatalogSession,
  previous: readonly LockedFile[],
  log: Logger,
  exit: { explicitly: boolean }
): Promise<{ plan: Plan; report: RunReport }> {
  const plan = await core.group('Resolving entries', () => resolvePlan(inputs, session, log))
  const folders = plan.assets.map(asset =>
    path.dirname(path.join(inputs.destination, asset.relativePath))
  )
  const leftovers = await removeStalePartials([inputs.destination, ...folders])
  if (leftovers > 0)
    log.info(`Removed ${plural(leftovers, 'partial file')} that an interrupted run left behind`)
  const cache = await chooseCache({
    enabled: inputs.cache,
    env: process.env,
    timeoutMs: inputs.timeoutMs,
    log
  })
  const context = pullContext(inputs, workspace, session, previous, cache, log)
  const outcome = await core.group(`Pulling ${plural(plan.assets.length, 'file')}`, () =>
    pullPlanned(plan, context, inputs.concurrency)
  )
  await recordConversions(outcome.files, session, context)
  exit.explicitly = cache.leavesWorkBehind
  const report: RunReport = {
    files: outcome.files,
    failures: [...plan.failures, ...outcome.failures],
    workspace,
    destination: inputs.destination,
    pruned: []
  }
  return { plan, report }
}

/** `mode: check`: one metadata query, no file transferred, nothing written but outputs and summary. */
async function runCheck(
  inputs: ActionInputs,
  workspace: string,
  log: Logger,
  redactor: Redactor
): Promise<void> {
  const previous = await readPreviousLockfile(inputs, workspace, log)
  const plan = await withEcho3d(inputs, log, session =>
    core.group('Resolving entries', () => resolvePlan(inputs, session, log))
  )
  const stale = await findStaleAssets(plan.assets, {
    workspace,
    destination: inputs.destination,
    locked: byPath(previous),
    concurrency: inputs.concurrency
  })
  for (const asset of stale) log.info(`✗ ${asset.path}: ${asset.reason}`)
  core.setOutput('stale', JSON.stringify(stale))
  await writeCheckSummary(plan, stale, redactor)
  if (plan.failures.length > 0) throw new AssetFailures(plan.failures)
  if (stale.length > 0) throw staleError(stale)
  log.info(`All ${plural(plan.assets.length, 'asset')} are up to date`)
}

function staleError(stale: readonly StaleAsset[]): ActionError {
  return new ActionError(
    `${plural(stale.length, 'asset')} missing or stale:\n${stale.map(asset => `- ${asset.path}: ${asset.reason}`).join('\n')}\nRun the action with \`mode: pull\` to update them`
  )
}

/** One keep-alive connection pool for everything said to echo3D in this run. */
async function withEcho3d<T>(
  inputs: ActionInputs,
  log: Logger,
  work: (session: CatalogSession) => Promise<T>
): Promise<T> {
  const http = new HttpPool(inputs.concurrency)
  try {
    const session: CatalogSession = {
      client: new Echo3dClient(inputs.apiUrl, inputs.credentials),
      http,
      retry: {
        retries: inputs.retries,
        timeoutMs: inputs.timeoutMs,
        onRetry: (attempt, delayMs, error) =>
          log.info(
            `Metadata query: ${errorMessage(error)}; retry ${attempt} of ${inputs.retries} in ${formatDuration(delayMs)}`
          )
      }
    }
    return await work(session)
  } finally {
    await http.close()
  }
}

function pullContext(
  inputs: ActionInputs,
  workspace: string,
  session: CatalogSession,
  previous: readonly LockedFile[],
  cache: AssetCache,
  log: Logger
): PullContext {
  return {
    client: session.client,
    http: session.http,
    cache,
    workspace,
    destination: inputs.destination,
    locked: byPath(previous),
    retries: inputs.retries,
    timeoutMs: inputs.timeoutMs,
    log
  }
}

async function readPreviousLockfile(
  inputs: ActionInputs,
  workspace: string,
  log: Logger
): Promise<LockedFile[]> {
  if (!inputs.lockfile) return []
  return readLockfile(
    inputs.lockfile,
    workspaceRelative(workspace, inputs.destination),
    workspaceRelative(workspace, inputs.lockfile),
    log
  )
}

/**
 * Prunes only when every asset was pulled: a failed entry's files stay where they are until a run
 * can tell for sure that they are no longer wanted.
 */
async function pruneIfWanted(
  inputs: ActionInputs,
  previous: readonly LockedFile[],
  plan: Plan,
  report: RunReport,
  log: Logger
): Promise<Set<string>> {
  if (!inputs.prune) return new Set()
  if (report.failures.length > 0) {
    log.warning('Not pruning: some assets failed, so the selection is not known for sure')
    return new Set()
  }
  const selected = new Set(
    plan.assets.map(asset =>
      workspaceRelative(report.workspace, path.join(inputs.destination, asset.relativePath))
    )
  )
  return pruneFiles(pruneCandidates(previous, selected), report.workspace, log)
}

/**
 * Delivery is all or nothing: when any asset failed, nothing is committed or uploaded, so a
 * branch never receives half a refresh.
 */
async function deliverIfWanted(
  inputs: ActionInputs,
  report: RunReport,
  previous: readonly LockedFile[],
  log: Logger
): Promise<DeliveryReport> {
  if (!wantsDelivery(inputs.delivery)) return {}
  if (report.failures.length > 0) {
    return {
      skipped: `${plural(report.failures.length, 'asset')} failed, so nothing was committed or uploaded`
    }
  }
  try {
    const pruned = previous.filter(locked => report.pruned.includes(locked.path))
    const files = await deliveryFiles(
      fileRecords(report),
      report.workspace,
      inputs.lockfile,
      pruned
    )
    return {
      outcome: await core.group('Delivering', () =>
        deliver(inputs.delivery, files, report.workspace, log)
      )
    }
  } catch (error) {
    return {
      error:
        error instanceof ActionError
          ? error
          : new DeliveryError(`Delivery failed: ${errorMessage(error)}`)
    }
  }
}

function byPath(files: readonly LockedFile[]): Map<string, LockedFile> {
  return new Map(files.map(file => [file.path, file]))
}
