import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { Dispatcher } from 'undici'
import type { AssetCache } from './cache.js'
import type { Echo3dClient } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import { errorMessage } from './errors.js'
import type { PlannedAsset } from './plan.js'
import { formatBytes, type Logger } from './report/log.js'
import { streamToFile, type WrittenFile } from './transfer/download.js'
import {
  describeTimeout,
  headerValue,
  send,
  type HttpRequest,
  type RequestLimits
} from './transfer/http.js'
import { formatDuration, withRetries } from './transfer/retry.js'

/** One asset, from cache or echo3D into its place in the destination folder. */
export type FileSource = 'download' | 'conversion' | 'cache'

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
  agent: Dispatcher
  cache: AssetCache
  destination: string
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
    const fromCache = await restoreFromCache(asset, finalPath, context)
    const written = fromCache ?? (await fetchFromEcho3d(asset, finalPath, context, startedAt))
    const storageId = asset.method.kind === 'storage' ? asset.method.storageId : null
    if (!fromCache && storageId) await storeInCache(storageId, finalPath, written, context)
    const source: FileSource = fromCache
      ? 'cache'
      : asset.method.kind === 'convert'
        ? 'conversion'
        : 'download'
    return { asset, storageId, source, durationMs: Date.now() - startedAt, ...written }
  } catch (error) {
    return {
      asset,
      message: explainFailure(error, { kind: asset.method.kind, format: asset.format })
    }
  }
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
  const response = await send(context.agent, request, limits).finally(stopHeartbeat)
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
