// Pulling the planned files: each from the cheapest source that has it (the file already on disk,
// the cache, then echo3D), verified, and put in place.

import { createReadStream } from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { errorMessage, HttpStatusError } from '../errors.js'
import type { Content, Failure, FileSource, PlannedAsset, PulledFile } from '../model.js'
import type { AssetCache } from './cache.js'
import { mapWithConcurrency, type AdjustableLimit } from './concurrency.js'
import type { Echo3dClient } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import type { EventSink } from './events.js'
import { compareWithLockfile, type LockView } from './freshness.js'
import { heartbeatIntervalFor, stallTimeoutFor } from './limits.js'
import { transferOrder } from './plan.js'
import { inspectModel, ModelInspector, type InspectionTally } from './models/inspect.js'
import {
  digestBody,
  streamToFile,
  type BodyLimits,
  type PlacedContent
} from './transfer/download.js'
import {
  describeTimeout,
  headerValue,
  send,
  type Connections,
  type HttpRequest,
  type RedirectChain,
  type RequestLimits
} from './transfer/http.js'
import { decideRetry, withRetries } from './transfer/retry.js'

export interface PullContext extends LockView {
  client: Echo3dClient
  connections: Connections
  cache: AssetCache
  retries: number
  timeoutMs: number
  maxFileBytes: number
  /** `content`: trust neither the lockfile nor the cache; every file comes from echo3D. */
  verify: Verification
  /** How many conversions may wait on echo3D at once, apart from the transfers. */
  conversions: AdjustableLimit
  /** Folders this run made (or found) and checked: the files after the first need no check. */
  madeFolders: Set<string>
  emit: EventSink
  /** Every chunk received, for a live display; the events report only each quarter of a large file. */
  onBytes?: ByteProgress
  /** What reading the models' statistics cost this run, for one line at the end. */
  inspections: InspectionTally
}

/** Bytes of an asset's body received so far, and its length when the server sent one. */
export type ByteProgress = (asset: PlannedAsset, bytesSoFar: number, totalBytes?: number) => void

export type Verification = 'lockfile' | 'content'

/** Takes a body that echo3D sent: into its place on disk, or into a hash only. */
type Receiver<T extends Content> = (body: Readable, limits: BodyLimits) => Promise<T>

/** A planned asset and what became of it. */
export type PullResult =
  { asset: PlannedAsset; file: PulledFile } | { asset: PlannedAsset; failure: Failure }

/** How much later than the asset's deadline its headers timeout is set. */
const DEADLINE_GRACE_MS = 1_000

/** Large files report progress at each quarter. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024

/**
 * Pulls every planned asset, in transfer order; one failure does not stop the rest. Conversions
 * are echo3D's work, which the action only waits for: they run beside the transfers, under a
 * bound of their own, so that a slow conversion never holds a transfer's place. The results keep
 * the plan's order.
 */
export async function pullPlanned(
  assets: readonly PlannedAsset[],
  context: PullContext,
  concurrency: number
): Promise<PullResult[]> {
  const results = new Map<PlannedAsset, PullResult>()
  const pullOne = async (asset: PlannedAsset): Promise<void> => {
    const result = await pullAsset(asset, context)
    results.set(asset, result)
    context.emit('file' in result ? { kind: 'pulled', ...result } : { kind: 'failed', ...result })
  }
  const ordered = transferOrder(assets)
  const conversions = ordered.filter(asset => asset.method.kind === 'convert')
  const transfers = ordered.filter(asset => asset.method.kind === 'storage')
  await Promise.all([
    mapWithConcurrency(conversions, context.conversions.initial, pullOne),
    mapWithConcurrency(transfers, concurrency, pullOne)
  ])
  return assets.map(asset => results.get(asset)).filter(result => result !== undefined)
}

async function pullAsset(asset: PlannedAsset, context: PullContext): Promise<PullResult> {
  const startedAt = Date.now()
  const finalPath = path.join(context.destination, asset.relativePath)
  try {
    const { source, content } = await obtain(asset, finalPath, context, startedAt)
    return { asset, file: pulledFile(asset, source, content, Date.now() - startedAt) }
  } catch (error) {
    const message = explainFailure(error, { kind: asset.method.kind, format: asset.format })
    return { asset, failure: { label: asset.label, message } }
  }
}

function pulledFile(
  asset: PlannedAsset,
  source: FileSource,
  content: PlacedContent,
  durationMs: number
): PulledFile {
  return {
    path: asset.path,
    entry: asset.entryId,
    format: asset.format,
    storageId: asset.method.kind === 'storage' ? asset.method.storageId : null,
    bytes: content.bytes,
    sha256: content.sha256,
    ...(content.model ? { model: content.model } : {}),
    source,
    durationMs,
    ...(content.validation ? { validation: content.validation } : {})
  }
}

/** The cheapest source first: the file already on disk, then the cache, then echo3D. */
async function obtain(
  asset: PlannedAsset,
  finalPath: string,
  context: PullContext,
  startedAt: number
): Promise<{ source: FileSource; content: PlacedContent }> {
  if (context.verify === 'lockfile') {
    const unchanged = await keepUnchanged(asset, context)
    if (unchanged) {
      return {
        source: 'unchanged',
        content: await withRecordedModel(asset, finalPath, unchanged, context)
      }
    }
    const cached = await restoreFromCache(asset, finalPath, context)
    if (cached) return { source: 'cache', content: cached }
  }
  const toDisk: Receiver<PlacedContent> = (body, limits) =>
    streamToFile(body, {
      ...limits,
      workspace: context.workspace,
      madeFolders: context.madeFolders,
      finalPath,
      inspector: inspectorFor(asset, context)
    })
  const content = await fetchFromEcho3d(asset, context, startedAt, toDisk)
  if (asset.method.kind === 'convert') return { source: 'conversion', content }
  await storeInCache(asset.method.storageId, finalPath, content, context)
  return { source: 'download', content }
}

/** A new inspector for each attempt: what it keeps is that attempt's body. */
function inspectorFor(asset: PlannedAsset, context: PullContext): ModelInspector {
  return new ModelInspector(
    context.workspace,
    asset.expect,
    context.inspections,
    context.checkedFolders
  )
}

/**
 * An unchanged model keeps the statistics its record holds. One recorded before statistics were
 * is read now; it was accepted then, so what cannot be read now only goes unrecorded.
 */
async function withRecordedModel(
  asset: PlannedAsset,
  finalPath: string,
  content: Content,
  context: PullContext
): Promise<PlacedContent> {
  const recorded = context.locked.get(asset.path)?.model
  if (recorded) return { ...content, model: recorded }
  const inspection = await inspectModel(context.workspace, finalPath, asset.expect).catch(
    () => ({})
  )
  return { ...content, ...inspection, validation: undefined }
}

/** A file that the lockfile and the disk show to be current is left as it is. */
async function keepUnchanged(
  asset: PlannedAsset,
  context: PullContext
): Promise<Content | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const freshness = await compareWithLockfile(asset, context)
  if ('upToDate' in freshness) return freshness.upToDate
  if (freshness.onDisk) context.emit({ kind: 'stale-on-disk', asset, reason: freshness.stale })
  return undefined
}

async function restoreFromCache(
  asset: PlannedAsset,
  finalPath: string,
  context: PullContext
): Promise<PlacedContent | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const cached = await context.cache.find(asset.method.storageId).catch(() => undefined)
  if (!cached) return undefined
  try {
    return await streamToFile(createReadStream(cached.path), {
      workspace: context.workspace,
      madeFolders: context.madeFolders,
      finalPath,
      expect: asset.expect,
      maxFileBytes: context.maxFileBytes,
      redactor: context.connections.redactor,
      expectedBytes: cached.bytes,
      expectedSha256: cached.sha256,
      inspector: inspectorFor(asset, context)
    })
  } catch (error) {
    context.emit({ kind: 'cache-copy-rejected', asset, reason: errorMessage(error) })
    return undefined
  }
}

/** A cache that cannot take a file never fails the run. */
export async function storeInCache(
  storageId: string,
  filePath: string,
  content: Content,
  context: Pick<PullContext, 'cache' | 'emit'>
): Promise<void> {
  try {
    await context.cache.store(storageId, filePath, content)
  } catch (error) {
    context.emit({ kind: 'cache-store-failed', storageId, reason: errorMessage(error) })
  }
}

/** The size and hash of the file echo3D serves for a stored asset, downloaded but kept nowhere. */
export function fetchServedContent(asset: PlannedAsset, context: PullContext): Promise<Content> {
  return fetchFromEcho3d(asset, context, Date.now(), digestBody)
}

async function fetchFromEcho3d<T extends Content>(
  asset: PlannedAsset,
  context: PullContext,
  startedAt: number,
  receive: Receiver<T>
): Promise<T> {
  const method = asset.method
  const route = new DownloadRoute(
    method.kind === 'storage'
      ? context.client.fileRequest(method.storageId)
      : context.client.conversionRequest(method.entryId, method.format)
  )
  const stallTimeoutMs = stallTimeoutFor(context.timeoutMs)
  const deadline = startedAt + context.timeoutMs
  let generation = 0

  const tryOnce = (signal: AbortSignal): Promise<T> => {
    // The asset's deadline is the signal's to enforce; a headers timeout set to the same moment
    // could fire a moment before it and read as a slow answer to be retried.
    const untilDeadline = Math.max(1, deadline - Date.now()) + DEADLINE_GRACE_MS
    const headersTimeoutMs =
      method.kind === 'convert' ? untilDeadline : Math.min(untilDeadline, stallTimeoutMs * 2)
    const limits = { headersTimeoutMs, stallTimeoutMs, signal }
    return route.attempt(start =>
      attemptTransfer(asset, start, route.chain, limits, context, receive)
    )
  }

  return withRetries(
    // A conversion holds its place among the conversions only while echo3D works on it: one
    // refused with 429 waits out its Retry-After without a place, then queues under the new bound.
    signal =>
      method.kind === 'convert'
        ? context.conversions.run(startedUnder => {
            generation = startedUnder
            return tryOnce(signal)
          })
        : tryOnce(signal),
    {
      retries: context.retries,
      deadline,
      timeoutMs: context.timeoutMs,
      placeOfFailure: () => route.placeOfFailure(),
      onRetry: (attempt, delayMs, error) => {
        if (method.kind === 'convert') slowDownConversions(error, generation, context)
        context.emit({
          kind: 'retrying',
          asset,
          attempt,
          retries: context.retries,
          delayMs,
          reason: errorMessage(error)
        })
      }
    }
  )
}

/** echo3D's 429 to a conversion says it has too many in hand: the run asks for fewer from then on. */
function slowDownConversions(error: unknown, startedUnder: number, context: PullContext): void {
  if (!(error instanceof HttpStatusError) || error.status !== 429) return
  const from = context.conversions.current
  if (context.conversions.lower(startedUnder)) {
    context.emit({ kind: 'conversions-lowered', from, to: context.conversions.current })
  }
}

/**
 * A download is a chain: echo3D's API answers with a redirect to its storage host. A try that
 * failed at the storage host starts there again, while its URL still works, rather than from the
 * API; and each host has its retries of its own.
 */
class DownloadRoute {
  readonly chain: RedirectChain
  private resumeAt: HttpRequest | undefined

  constructor(private readonly first: HttpRequest) {
    this.chain = { current: first }
  }

  /** One try, from where the last one failed; a storage URL that no longer works sends it back to the API. */
  async attempt<T>(transfer: (start: HttpRequest) => Promise<T>): Promise<T> {
    const start = this.resumeAt ?? this.first
    try {
      return await transfer(start)
    } catch (error) {
      this.resumeAt = this.afterRedirect() && !isFinalStatus(error) ? this.chain.current : undefined
      if (start === this.first || !isFinalStatus(error)) throw error
      return this.attempt(transfer)
    }
  }

  placeOfFailure(): string {
    return this.chain.current.url.origin
  }

  private afterRedirect(): boolean {
    return this.chain.current !== this.first
  }
}

function isFinalStatus(error: unknown): boolean {
  return error instanceof HttpStatusError && !decideRetry(error).retry
}

/** One try: send, then take the body. A stall in the body reads as a stall, not as undici's words. */
async function attemptTransfer<T extends Content>(
  asset: PlannedAsset,
  request: HttpRequest,
  chain: RedirectChain,
  limits: RequestLimits,
  context: PullContext,
  receive: Receiver<T>
): Promise<T> {
  const stopHeartbeat =
    asset.method.kind === 'convert' ? startHeartbeat(asset, context) : () => undefined
  const response = await send(context.connections, request, limits, chain).finally(stopHeartbeat)
  const lengthHeader = headerValue(response.headers['content-length']) ?? ''
  const expectedBytes = /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined
  return receive(response.body, {
    expect: asset.expect,
    maxFileBytes: context.maxFileBytes,
    redactor: context.connections.redactor,
    expectedBytes,
    onProgress: progressReporter(asset, expectedBytes, context)
  }).catch((error: unknown) => {
    throw describeTimeout(error, limits)
  })
}

function startHeartbeat(asset: PlannedAsset, context: PullContext): () => void {
  const startedAt = Date.now()
  context.emit({ kind: 'conversion-started', asset, timeoutMs: context.timeoutMs })
  const timer = setInterval(() => {
    context.emit({ kind: 'conversion-waiting', asset, waitedMs: Date.now() - startedAt })
  }, heartbeatIntervalFor(context.timeoutMs))
  return () => clearInterval(timer)
}

function progressReporter(
  asset: PlannedAsset,
  totalBytes: number | undefined,
  context: Pick<PullContext, 'emit' | 'onBytes'>
): ((bytesSoFar: number) => void) | undefined {
  const quarters = quarterReporter(asset, totalBytes, context.emit)
  const { onBytes } = context
  if (!onBytes) return quarters
  return bytesSoFar => {
    onBytes(asset, bytesSoFar, totalBytes)
    quarters?.(bytesSoFar)
  }
}

function quarterReporter(
  asset: PlannedAsset,
  totalBytes: number | undefined,
  emit: EventSink
): ((bytesSoFar: number) => void) | undefined {
  if (!totalBytes || totalBytes < PROGRESS_MIN_BYTES) return undefined
  let reportedQuarter = 0
  return bytesSoFar => {
    const quarter = Math.floor((bytesSoFar / totalBytes) * 4)
    if (quarter <= reportedQuarter || quarter >= 4) return
    reportedQuarter = quarter
    emit({ kind: 'download-progress', asset, percent: quarter * 25, totalBytes })
  }
}
