import * as core from '@actions/core'
import path from 'node:path'
import { DisabledCache, ToolCacheStore } from './cache.js'
import { deliver, wantsDelivery, type DeliveryReport } from './delivery/deliver.js'
import { DeliveryError } from './delivery/github.js'
import { Echo3dClient, queryEntries, queryTags, type CatalogSession } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import type { EntryInfo } from './echo3d/metadata.js'
import { ActionError, AssetFailures, errorMessage } from './errors.js'
import { SECRET_INPUTS, parseInputs, type ActionInputs } from './inputs.js'
import { planAssets, type Plan, type PlanFailure } from './plan.js'
import { pullAsset, type PullContext, type PulledFile } from './pull.js'
import { createLogger, formatBytes, type Logger } from './report/log.js'
import {
  fileRecords,
  setDeliveryOutputs,
  setOutputs,
  writeSummary,
  type RunReport
} from './report/summary.js'
import { Redactor } from './secrets.js'
import { createHttpAgent } from './transfer/http.js'
import { mapWithConcurrency } from './transfer/pool.js'
import { formatDuration } from './transfer/retry.js'

export async function run(): Promise<void> {
  const redactor = protectCredentials()
  const log = createLogger(redactor)
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const inputs = parseInputs(name => core.getInput(name), workspace)
    const report = await pullAll(inputs, workspace, log)
    setOutputs(report)
    const delivery = await deliverIfWanted(inputs, report, log)
    setDeliveryOutputs(delivery)
    await writeSummary(report, delivery, redactor)
    if (report.failures.length > 0) throw new AssetFailures(report.failures)
    if (delivery.error) throw delivery.error
  } catch (error) {
    reportFailure(error, redactor)
  }
}

/** Registers every credential, in every encoding it can take, before anything is logged. */
function protectCredentials(): Redactor {
  const redactor = new Redactor(SECRET_INPUTS.map(name => core.getInput(name).trim()))
  for (const form of redactor.maskedForms) core.setSecret(form)
  return redactor
}

/** The one place that fails the step. */
function reportFailure(error: unknown, redactor: Redactor): void {
  const message =
    error instanceof ActionError ? error.message : `Unexpected error: ${errorMessage(error)}`
  core.setFailed(redactor.redact(message))
}

/**
 * Delivery is all or nothing: when any asset failed, nothing is committed or uploaded, so a
 * branch never receives half a refresh.
 */
async function deliverIfWanted(
  inputs: ActionInputs,
  report: RunReport,
  log: Logger
): Promise<DeliveryReport> {
  if (!wantsDelivery(inputs.delivery)) return {}
  if (report.failures.length > 0) {
    return {
      skipped: `${plural(report.failures.length, 'asset')} failed, so nothing was committed or uploaded`
    }
  }
  try {
    return {
      outcome: await core.group('Delivering', () =>
        deliver(inputs.delivery, fileRecords(report), report.workspace, log)
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

async function pullAll(inputs: ActionInputs, workspace: string, log: Logger): Promise<RunReport> {
  const agent = createHttpAgent(inputs.concurrency)
  try {
    const client = new Echo3dClient(inputs.apiUrl, inputs.credentials)
    const session: CatalogSession = {
      client,
      agent,
      retry: {
        retries: inputs.retries,
        timeoutMs: inputs.timeoutMs,
        onRetry: retryLogger('Metadata query', inputs, log)
      }
    }
    const plan = await core.group('Resolving entries', () => resolvePlan(inputs, session, log))
    const context: PullContext = {
      client,
      agent,
      cache: inputs.cache ? new ToolCacheStore() : new DisabledCache(),
      destination: inputs.destination,
      retries: inputs.retries,
      timeoutMs: inputs.timeoutMs,
      log
    }
    const outcome = await core.group(`Pulling ${plural(plan.assets.length, 'file')}`, () =>
      pullPlanned(plan, context, inputs)
    )
    await recordConversions(outcome.files, session, context)
    return {
      ...outcome,
      failures: [...plan.failures, ...outcome.failures],
      workspace,
      destination: inputs.destination
    }
  } finally {
    await agent.close()
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function retryLogger(what: string, inputs: ActionInputs, log: Logger) {
  return (attempt: number, delayMs: number, error: unknown): void =>
    log.info(
      `${what}: ${errorMessage(error)}; retry ${attempt} of ${inputs.retries} in ${formatDuration(delayMs)}`
    )
}

async function resolvePlan(
  inputs: ActionInputs,
  session: CatalogSession,
  log: Logger
): Promise<Plan> {
  const known = new Map<string, EntryInfo>()
  let taggedEntries: EntryInfo[] = []
  try {
    if (inputs.entries.length > 0) {
      for (const entry of await queryEntries(
        session,
        inputs.entries.map(selection => selection.id)
      )) {
        known.set(entry.id, entry)
      }
    }
    if (inputs.tags.length > 0) {
      taggedEntries = await queryTags(session, inputs.tags)
      for (const entry of taggedEntries) known.set(entry.id, entry)
      log.info(`Tags ${inputs.tags.join(', ')} selected ${taggedEntries.length} entries`)
    }
  } catch (error) {
    throw new ActionError(`The metadata query failed: ${explainFailure(error, { kind: 'query' })}`)
  }
  const plan = planAssets({
    entries: inputs.entries,
    taggedEntries,
    known,
    files: inputs.files,
    defaultFormats: inputs.defaultFormats,
    convertMissing: inputs.convertMissing,
    fileNameTemplate: inputs.fileNameTemplate,
    destination: inputs.destination
  })
  for (const asset of plan.assets) {
    const how = asset.method.kind === 'convert' ? 'convert' : `storage ID ${asset.method.storageId}`
    log.info(`${asset.label} -> ${asset.relativePath} (${how})`)
  }
  return plan
}

async function pullPlanned(
  plan: Plan,
  context: PullContext,
  inputs: ActionInputs
): Promise<{ files: PulledFile[]; failures: PlanFailure[] }> {
  const files: PulledFile[] = []
  const failures: PlanFailure[] = []
  await mapWithConcurrency(plan.assets, inputs.concurrency, async asset => {
    const result = await pullAsset(asset, context)
    if ('message' in result) {
      failures.push({ label: result.asset.label, message: result.message })
      context.log.info(`✗ ${result.asset.label}: ${result.message}`)
      return
    }
    files.push(result)
    context.log.info(
      `✓ ${asset.relativePath} (${asset.format}, ${formatBytes(result.bytes)}, ${result.source}, ${formatDuration(result.durationMs)})`
    )
  })
  const order = new Map(plan.assets.map((asset, index) => [asset, index]))
  files.sort((a, b) => (order.get(a.asset) ?? 0) - (order.get(b.asset) ?? 0))
  return { files, failures }
}

/**
 * A conversion's answer carries bytes but no storage ID. One more metadata query learns the IDs
 * echo3D gave the new files, so that outputs name them and the next run finds them in the cache.
 */
async function recordConversions(
  files: PulledFile[],
  session: CatalogSession,
  context: PullContext
): Promise<void> {
  const converted = files.filter(file => file.asset.method.kind === 'convert')
  if (converted.length === 0) return
  try {
    const entries = await queryEntries(session, [
      ...new Set(converted.map(file => file.asset.entryId ?? ''))
    ])
    const byId = new Map(entries.map(entry => [entry.id, entry]))
    for (const file of converted) {
      const method = file.asset.method
      if (method.kind !== 'convert') continue
      const stored = byId.get(method.entryId)?.derived[method.format]
      if (!stored) continue
      file.storageId = stored.storageId
      await context.cache.store(
        stored.storageId,
        path.join(context.destination, file.asset.relativePath),
        {
          bytes: file.bytes,
          sha256: file.sha256
        }
      )
    }
  } catch (error) {
    context.log.warning(
      `Could not record the storage IDs of converted files: ${errorMessage(error)}`
    )
  }
}
