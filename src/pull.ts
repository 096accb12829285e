import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { AssetCache } from './cache.js'
import { queryEntries, type CatalogSession, type Echo3dClient } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import { errorMessage } from './errors.js'
import { compareWithLockfile } from './check.js'
import type { LockedFile } from './lockfile.js'
import { transferOrder, type Plan, type PlanFailure, type PlannedAsset } from './plan.js'
import { formatBytes, type Logger } from './report/log.js'
import { streamToFile, type WrittenFile } from './transfer/download.js'
import {
  describeTimeout,
  headerValue,
  send,
  type HttpPool,
  type HttpRequest,
  type RequestLimits
} from './transfer/http.js'
import { mapWithConcurrency } from './transfer/pool.js'
import { formatDuration, withRetries } from './transfer/retry.js'

/** One asset, from cache or echo3D into its place in the destination folder. */
export type FileSource = 'download' | 'conversion' | 'cache' | 'unchanged'

export interface PulledFile extends WrittenFile {
  asset: PlannedAsset
  storageId: string | null
  source: FileSource
  durationMs: number
}

export interface PullFailure {
  asset: PlannedAsset
  message: string
}

export interface PullContext {
  client: Echo3dClient
  http: HttpPool
  cache: AssetCache
  workspace: string
  destination: string
  /** What the lockfile recorded, by workspace path. */
  locked: ReadonlyMap<string, LockedFile>
  retries: number
  timeoutMs: number
  log: Logger
}

/** Large files report progress at each quarter. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024

export async function pullAsset(
  asset: PlannedAsset,
  context: PullContext
): Promise<PulledFile | PullFailure> {
  const startedAt = Date.now()
  const finalPath = path.join(context.destination, asset.relativePath)
  try {
    const { source, written } = await obtain(asset, finalPath, context, startedAt)
    const storageId = asset.method.kind === 'storage' ? asset.method.storageId : null
    return { asset, storageId, source, durationMs: Date.now() - startedAt, ...written }
  } catch (error) {
    return {
      asset,
      message: explainFailure(error, { kind: asset.method.kind, format: asset.format })
    }
  }
}

/** The cheapest source first: the file already on disk, then the cache, then echo3D. */
async function obtain(
  asset: PlannedAsset,
  finalPath: string,
  context: PullContext,
  startedAt: number
): Promise<{ source: FileSource; written: WrittenFile }> {
  const unchanged = await keepUnchanged(asset, context)
  if (unchanged) return { source: 'unchanged', written: unchanged }
  const cached = await restoreFromCache(asset, finalPath, context)
  if (cached) return { source: 'cache', written: cached }
  const written = await fetchFromEcho3d(asset, finalPath, context, startedAt)
  if (asset.method.kind === 'convert') return { source: 'conversion', written }
  await storeInCache(asset.method.storageId, finalPath, written, context)
  return { source: 'download', written }
}

/** A file that the lockfile and the disk show to be current is left as it is. */
async function keepUnchanged(
  asset: PlannedAsset,
  context: PullContext
): Promise<WrittenFile | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const verdict = await compareWithLockfile(asset, context)
  if ('upToDate' in verdict) return verdict.upToDate
  if (verdict.onDisk)
    context.log.info(`  ${asset.relativePath}: ${verdict.stale}; pulling it again`)
  return undefined
}

async function restoreFromCache(
  asset: PlannedAsset,
  finalPath: string,
  context: PullContext
): Promise<WrittenFile | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const cached = await context.cache.find(asset.method.storageId).catch(() => undefined)
  if (!cached) return undefined
  try {
    return await streamToFile(createReadStream(cached.path), {
      finalPath,
      expect: asset.expect,
      expectedBytes: cached.bytes,
      expectedSha256: cached.sha256
    })
  } catch (error) {
    context.log.warning(
      `The cached copy of ${asset.label} failed its check (${errorMessage(error)}); downloading it again`
    )
    return undefined
  }
}

async function storeInCache(
  storageId: string,
  filePath: string,
  written: WrittenFile,
  context: PullContext
): Promise<void> {
  try {
    await context.cache.store(storageId, filePath, written)
  } catch (error) {
    context.log.warning(
      `Could not cache storage ID ${storageId}: ${errorMessage(error)}. The run goes on without it`
    )
  }
}

/** A body must not go silent for longer than this; derived from `timeout` so short runs detect stalls fast. */
export function stallTimeoutFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 5), 2_000, 60_000)
}

/** How often a pending conversion says it is still waiting: every 20 s at most. */
export function heartbeatIntervalFor(timeoutMs: number): number {
  return clamp(Math.round(timeoutMs / 20), 1_000, 20_000)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

async function fetchFromEcho3d(
  asset: PlannedAsset,
  finalPath: string,
  context: PullContext,
  startedAt: number
): Promise<WrittenFile> {
  const method = asset.method
  const request =
    method.kind === 'storage'
      ? context.client.fileRequest(method.storageId)
      : context.client.conversionRequest(method.entryId, method.format)
  const stallTimeoutMs = stallTimeoutFor(context.timeoutMs)
  const deadline = startedAt + context.timeoutMs

  return withRetries(
    signal => {
      const remaining = Math.max(1, deadline - Date.now())
      const headersTimeoutMs =
        method.kind === 'convert' ? remaining : Math.min(remaining, stallTimeoutMs * 2)
      return attemptTransfer(
        asset,
        request,
        finalPath,
        { headersTimeoutMs, stallTimeoutMs, signal },
        context
      )
    },
    {
      retries: context.retries,
      deadline,
      timeoutMs: context.timeoutMs,
      onRetry: (attempt, delayMs, error) =>
        context.log.info(
          `  ${asset.label}: ${errorMessage(error)}; retry ${attempt} of ${context.retries} in ${formatDuration(delayMs)}`
        )
    }
  )
}

/** One try: send, then stream the body into place. A stall in the body reads as a stall, not as undici's words. */
async function attemptTransfer(
  asset: PlannedAsset,
  request: HttpRequest,
  finalPath: string,
  limits: RequestLimits,
  context: PullContext
): Promise<WrittenFile> {
  const stopHeartbeat =
    asset.method.kind === 'convert' ? startHeartbeat(asset, context) : () => undefined
  const response = await send(context.http, request, limits).finally(stopHeartbeat)
  const lengthHeader = headerValue(response.headers['content-length']) ?? ''
  const expectedBytes = /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined
  return streamToFile(response.body, {
    finalPath,
    expect: asset.expect,
    expectedBytes,
    onProgress: progressReporter(asset, expectedBytes, context.log)
  }).catch(error => {
    throw describeTimeout(error, limits)
  })
}

function startHeartbeat(asset: PlannedAsset, context: PullContext): () => void {
  const startedAt = Date.now()
  context.log.info(
    `  ${asset.label}: asked echo3D to convert it; waiting (up to ${formatDuration(context.timeoutMs)})`
  )
  const timer = setInterval(() => {
    context.log.info(
      `  ${asset.label}: still converting, waited ${formatDuration(Date.now() - startedAt)}`
    )
  }, heartbeatIntervalFor(context.timeoutMs))
  return () => clearInterval(timer)
}

function progressReporter(
  asset: PlannedAsset,
  totalBytes: number | undefined,
  log: Logger
): ((bytesSoFar: number) => void) | undefined {
  if (!totalBytes || totalBytes < PROGRESS_MIN_BYTES) return undefined
  let reportedQuarter = 0
  return bytesSoFar => {
    const quarter = Math.floor((bytesSoFar / totalBytes) * 4)
    if (quarter <= reportedQuarter || quarter >= 4) return
    reportedQuarter = quarter
    log.info(`  ${asset.relativePath}: ${quarter * 25}% of ${formatBytes(totalBytes)}`)
  }
}

/** Pulls every planned asset with at most `concurrency` at once; one failure does not stop the rest. */
export async function pullPlanned(
  plan: Plan,
  context: PullContext,
  concurrency: number
): Promise<{ files: PulledFile[]; failures: PlanFailure[] }> {
  const files: PulledFile[] = []
  const failures: PlanFailure[] = []
  await mapWithConcurrency(transferOrder(plan.assets), concurrency, async asset => {
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
export async function recordConversions(
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
