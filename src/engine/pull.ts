// Pulling the planned files: each from the cheapest source that has it (the file already on disk,
// the cache, then echo3D), verified, and put in place.

import path from 'node:path'
import type { Readable } from 'node:stream'
import { errorMessage, HttpStatusError, WorkspaceBoundaryError } from '../errors.js'
import type {
  Content,
  Failure,
  FileSource,
  PlannedAsset,
  PulledFile,
  Verification
} from '../model.js'
import { mapWithConcurrency, type AdjustableLimit } from './concurrency.js'
import type { Echo3dSession } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import { compareWithLockfile, type DiskView } from './freshness.js'
import { copyWaitFor, heartbeatIntervalFor, stallTimeoutFor } from './limits.js'
import { Deadline } from './models/deadline.js'
import { inspectModel, type InspectionTally, type ModelInspection } from './models/inspect.js'
import { optimizationFor, optimizedFile } from './optimize/optimize-model.js'
import { transferOrder } from './plan.js'
import type { CacheCopy, CachedFile, EnginePorts } from './ports.js'
import {
  digestBody,
  streamToFile,
  type BodyLimits,
  type PlacedContent,
  type StreamTarget
} from './transfer/download.js'
import {
  describeTimeout,
  headerValue,
  send,
  type HttpRequest,
  type RedirectChain,
  type RequestOptions
} from './transfer/http.js'
import { settled, trackPartial } from './transfer/partials.js'
import { decideRetry, withRetries } from './transfer/retry.js'
import { WorkspaceFolders } from './workspace.js'

/** A pull's three concerns: how files come from echo3D, where they go, and the adapter's ports. */
export interface PullContext {
  transfer: Transfer
  disk: PullDisk
  ports: EnginePorts
}

interface Transfer extends Echo3dSession {
  /** The largest file accepted (`max-file-size`). */
  maxFileBytes: number
  /** How many conversions may wait on echo3D at once, apart from the transfers. */
  conversions: AdjustableLimit
}

interface PullDisk extends DiskView {
  /** `content`: trust neither the lockfile nor the cache; every file comes from echo3D. */
  verify: Verification
  /** What the lockfile records for each storage ID: the only bytes a cache may supply for it. */
  recorded: ReadonlyMap<string, Content | undefined>
  /** What reading the models' statistics cost this run, for one line at the end. */
  inspections: InspectionTally
}

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
    const { emit } = context.ports
    emit('file' in result ? { kind: 'pulled', ...result } : { kind: 'failed', ...result })
  }
  const ordered = transferOrder(assets)
  const conversions = ordered.filter(asset => asset.method.kind === 'convert')
  const transfers = ordered.filter(asset => asset.method.kind === 'storage')
  await Promise.all([
    mapWithConcurrency(conversions, context.transfer.conversions.initial, pullOne),
    mapWithConcurrency(transfers, concurrency, pullOne)
  ])
  return assets.map(asset => results.get(asset)).filter(result => result !== undefined)
}

async function pullAsset(asset: PlannedAsset, context: PullContext): Promise<PullResult> {
  const { clock } = context.ports
  const startedAt = clock.now()
  try {
    const { source, content } = await obtain(asset, context, startedAt)
    return { asset, file: pulledFile(asset, source, content, clock.now() - startedAt) }
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
    ...(content.optimized ? { optimized: content.optimized } : {}),
    source,
    durationMs,
    ...(content.validation ? { validation: content.validation } : {})
  }
}

function finalPathOf(asset: PlannedAsset, disk: DiskView): string {
  return path.join(disk.destination, asset.relativePath)
}

/** The cheapest source first: the file already on disk, then the cache, then echo3D. */
async function obtain(
  asset: PlannedAsset,
  context: PullContext,
  startedAt: number
): Promise<{ source: FileSource; content: PlacedContent }> {
  const { timeoutMs } = context.transfer
  const deadline = new Deadline(startedAt + timeoutMs, timeoutMs, () => context.ports.clock.now())
  if (context.disk.verify === 'lockfile') {
    const unchanged = await keepUnchanged(asset, context, deadline)
    if (unchanged) return { source: 'unchanged', content: unchanged }
    const cached = await restoreFromCache(asset, context, deadline)
    if (cached) return { source: 'cache', content: cached }
  }
  const receives = context.ports.cache.receive !== undefined
  const copyWait = copyWaitFor(timeoutMs)
  const toDisk: Receiver<PlacedContent> = (body, limits) =>
    withCacheCopy(asset, context, copy =>
      streamToFile(body, {
        ...limits,
        folders: context.disk.folders,
        finalPath: finalPathOf(asset, context.disk),
        ...placement(asset, context, deadline, { keepSource: !receives }),
        ...(copy ? { copyTo: { file: copy.file, maxWaitMs: copyWait } } : {})
      })
    )
  const content = await fetchFromEcho3d(asset, context, startedAt, toDisk)
  if (asset.method.kind === 'convert') return { source: 'conversion', content }
  // The cache received the bytes as they came, or an optimised file's source went to it before
  // it was optimised.
  if (!receives && !content.optimized) {
    const finalPath = finalPathOf(asset, context.disk)
    await storeInCache(asset.method.storageId, finalPath, content, context.ports)
  }
  return { source: 'download', content }
}

/**
 * A download of a stored file, written into the cache as it arrives where the cache takes it that
 * way: the copy is kept once the file is in place, and removed if the download fails. A copy that
 * was dropped (its disk was too slow, or failed) is made from the placed file, as a cache without
 * `receive` gets it.
 */
async function withCacheCopy(
  asset: PlannedAsset,
  context: PullContext,
  download: (copy?: CacheCopy) => Promise<PlacedContent>
): Promise<PlacedContent> {
  if (asset.method.kind !== 'storage') return download()
  const { storageId } = asset.method
  const { ports } = context
  const copy = await openCacheCopy(storageId, ports)
  if (!copy) return download()
  trackPartial(copy.path)
  try {
    const placed = await download(copy).catch(async (error: unknown) => {
      await copy.discard().catch(() => undefined)
      throw error
    })
    await fileCacheCopy(copy, storageId, placed, { ...context, asset })
    return placed
  } finally {
    settled(copy.path)
  }
}

/** The copy kept under the hash of echo3D's bytes: an optimised file's source, not the file. */
async function fileCacheCopy(
  copy: CacheCopy,
  storageId: string,
  placed: PlacedContent,
  { asset, disk, ports }: PullContext & { asset: PlannedAsset }
): Promise<void> {
  const received = placed.optimized?.source ?? placed
  const content = { bytes: received.bytes, sha256: received.sha256 }
  if (!copy.file.writableFinished) {
    await copy.discard().catch(() => undefined)
    const finalPath = finalPathOf(asset, disk)
    if (!placed.optimized) await storeInCache(storageId, finalPath, content, ports)
    return
  }
  await copy.keep(content).catch((error: unknown) => {
    ports.emit({ kind: 'cache-store-failed', storageId, reason: errorMessage(error) })
  })
}

/** A cache that cannot take a copy never fails the download. */
async function openCacheCopy(
  storageId: string,
  ports: Pick<EnginePorts, 'cache' | 'emit'>
): Promise<CacheCopy | undefined> {
  try {
    return await ports.cache.receive?.()
  } catch (error) {
    ports.emit({ kind: 'cache-store-failed', storageId, reason: errorMessage(error) })
    return undefined
  }
}

/**
 * How the verified bytes become the file in place: inspected as they are, or, for a model to
 * optimise, optimised first (the source offered to the cache when it came from echo3D).
 */
function placement(
  asset: PlannedAsset,
  context: PullContext,
  deadline: Deadline,
  { keepSource }: { keepSource: boolean }
): Pick<StreamTarget, 'inspect' | 'derive'> {
  const { disk, ports } = context
  const optimization = optimizationFor(asset, disk.optimize)
  if (!optimization) return { inspect: inspectionOf(asset, disk, deadline) }
  const { method } = asset
  const derive = optimizedFile({
    ...optimization,
    folders: disk.folders,
    deadline,
    tally: disk.inspections,
    ...(keepSource && method.kind === 'storage'
      ? {
          keepSource: (sourcePath, source) =>
            storeInCache(method.storageId, sourcePath, source, ports)
        }
      : {})
  })
  return { derive }
}

/**
 * What a model holds, read from its verified temporary file within the asset's `timeout`, and
 * counted in the run's tally.
 */
function inspectionOf(
  asset: PlannedAsset,
  disk: PullDisk,
  deadline: Deadline
): (temporaryPath: string) => Promise<ModelInspection> {
  return temporaryPath =>
    inspectModel(disk.folders, temporaryPath, asset.expect, deadline, disk.inspections)
}

/**
 * A file that the lockfile and the disk show to be current is left as it is, with the statistics
 * its record holds. One recorded before statistics were is read now; it was accepted then, so what
 * cannot be read now only goes unrecorded.
 */
async function keepUnchanged(
  asset: PlannedAsset,
  context: PullContext,
  deadline: Deadline
): Promise<PlacedContent | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const freshness = await compareWithLockfile(asset, context.disk)
  if ('stale' in freshness) {
    if (freshness.onDisk) {
      context.ports.emit({ kind: 'stale-on-disk', asset, reason: freshness.stale })
    }
    return undefined
  }
  const record = context.disk.locked.get(asset.path)
  const optimized = record?.optimized ? { optimized: record.optimized } : {}
  if (record?.model) return { ...freshness.upToDate, model: record.model, ...optimized }
  const { folders } = context.disk
  const finalPath = finalPathOf(asset, context.disk)
  const inspection = await inspectModel(folders, finalPath, asset.expect, deadline)
    .then(({ model }) => ({ model }))
    .catch(() => ({}))
  return { ...freshness.upToDate, ...inspection, ...optimized }
}

/**
 * A cache hit is earned like a download: the cache may supply only the bytes that the lockfile
 * records for the storage ID, or, where it has no record, that a cache GitHub scopes to the
 * repository vouches for. The copy is hashed as it is written, and used only if it matches.
 */
async function restoreFromCache(
  asset: PlannedAsset,
  context: PullContext,
  deadline: Deadline
): Promise<PlacedContent | undefined> {
  if (asset.method.kind !== 'storage') return undefined
  const expected = await expectedContent(asset.method.storageId, context)
  if (!expected) return undefined
  const cached = await context.ports.cache.find(expected).catch(() => undefined)
  if (!cached) return undefined
  try {
    const copy = await openCachedCopy(cached)
    if (!copy) return undefined
    return await streamToFile(copy, {
      folders: context.disk.folders,
      finalPath: finalPathOf(asset, context.disk),
      expect: asset.expect,
      maxFileBytes: context.transfer.maxFileBytes,
      redactor: context.ports.redactor,
      expectedBytes: expected.bytes,
      expectedSha256: expected.sha256,
      ...placement(asset, context, deadline, { keepSource: false })
    })
  } catch (error) {
    context.ports.emit({ kind: 'cache-copy-rejected', asset, reason: errorMessage(error) })
    return undefined
  }
}

/** The size and hash a cached copy of the storage ID must have; undefined when nothing says. */
async function expectedContent(
  storageId: string,
  context: PullContext
): Promise<Content | undefined> {
  const { recorded } = context.disk
  if (recorded.has(storageId)) return recorded.get(storageId)
  return context.ports.cache.vouchFor?.(storageId).catch(() => undefined)
}

/**
 * The cached file, read only through real folders and only if it is a regular file: a link that
 * another job put in the cache could otherwise make a run copy any file it can read.
 */
async function openCachedCopy(cached: CachedFile): Promise<Readable | undefined> {
  try {
    const file = await new WorkspaceFolders(cached.store).openFile(cached.path)
    return file?.createReadStream()
  } catch (error) {
    if (!(error instanceof WorkspaceBoundaryError)) throw error
    throw new WorkspaceBoundaryError('the cache holds a link, or no regular file, in its place')
  }
}

/** A cache that cannot take a file never fails the run. */
export async function storeInCache(
  storageId: string,
  filePath: string,
  content: Content,
  ports: Pick<EnginePorts, 'cache' | 'emit'>
): Promise<void> {
  try {
    await ports.cache.store(storageId, filePath, content)
  } catch (error) {
    ports.emit({ kind: 'cache-store-failed', storageId, reason: errorMessage(error) })
  }
}

/** The size and hash of the file echo3D serves for a stored asset, downloaded but kept nowhere. */
export function fetchServedContent(asset: PlannedAsset, context: PullContext): Promise<Content> {
  return fetchFromEcho3d(asset, context, context.ports.clock.now(), digestBody)
}

function fetchFromEcho3d<T extends Content>(
  asset: PlannedAsset,
  context: PullContext,
  startedAt: number,
  receive: Receiver<T>
): Promise<T> {
  const { transfer, ports } = context
  const { method } = asset
  const route = new DownloadRoute(
    method.kind === 'storage'
      ? transfer.client.fileRequest(method.storageId)
      : transfer.client.conversionRequest(method.entryId, method.format)
  )
  const deadline = startedAt + transfer.timeoutMs
  let generation = 0
  const tryOnce = (signal: AbortSignal): Promise<T> =>
    route.attempt(start =>
      attemptTransfer(
        asset,
        start,
        route.chain,
        requestOptions(asset, context, deadline, signal),
        context,
        receive
      )
    )
  // A conversion holds its place among the conversions only while echo3D works on it: one
  // refused with 429 waits out its Retry-After without a place, then queues under the new bound.
  const attempt = (signal: AbortSignal): Promise<T> =>
    method.kind === 'convert'
      ? transfer.conversions.run(startedUnder => {
          generation = startedUnder
          return tryOnce(signal)
        })
      : tryOnce(signal)
  return withRetries(attempt, {
    clock: ports.clock,
    retries: transfer.retries,
    deadline,
    timeoutMs: transfer.timeoutMs,
    placeOfFailure: () => route.placeOfFailure(),
    onRetry: (attemptNumber, delayMs, error) => {
      if (method.kind === 'convert') slowDownConversions(error, generation, context)
      const reason = errorMessage(error)
      const retries = transfer.retries
      ports.emit({ kind: 'retrying', asset, attempt: attemptNumber, retries, delayMs, reason })
    }
  })
}

/**
 * The asset's deadline is the signal's to enforce; a headers timeout set to the same moment could
 * fire a moment before it and read as a slow answer to be retried. A conversion may take until the
 * deadline to answer; a storage download must start within two stalls.
 */
function requestOptions(
  asset: PlannedAsset,
  context: PullContext,
  deadline: number,
  signal: AbortSignal
): RequestOptions {
  const stallTimeoutMs = stallTimeoutFor(context.transfer.timeoutMs)
  const untilDeadline = Math.max(1, deadline - context.ports.clock.now()) + DEADLINE_GRACE_MS
  const headersTimeoutMs =
    asset.method.kind === 'convert' ? untilDeadline : Math.min(untilDeadline, stallTimeoutMs * 2)
  return { headersTimeoutMs, stallTimeoutMs, signal, redactor: context.ports.redactor }
}

/** echo3D's 429 to a conversion says it has too many in hand: the run asks for fewer from then on. */
function slowDownConversions(error: unknown, startedUnder: number, context: PullContext): void {
  if (!(error instanceof HttpStatusError) || error.status !== 429) return
  const { conversions } = context.transfer
  const from = conversions.current
  if (conversions.lower(startedUnder)) {
    context.ports.emit({ kind: 'conversions-lowered', from, to: conversions.current })
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
  options: RequestOptions,
  context: PullContext,
  receive: Receiver<T>
): Promise<T> {
  const stopHeartbeat =
    asset.method.kind === 'convert' ? startHeartbeat(asset, context) : () => undefined
  const { connections, maxFileBytes } = context.transfer
  const response = await send(connections, request, options, chain).finally(stopHeartbeat)
  const lengthHeader = headerValue(response.headers['content-length']) ?? ''
  const expectedBytes = /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined
  return receive(response.body, {
    expect: asset.expect,
    maxFileBytes,
    redactor: options.redactor,
    expectedBytes,
    onProgress: progressReporter(asset, expectedBytes, context.ports)
  }).catch((error: unknown) => {
    throw describeTimeout(error, options)
  })
}

/** While echo3D converts, a line every so often says the run is still waiting, and for how long. */
function startHeartbeat(asset: PlannedAsset, context: PullContext): () => void {
  const { emit, clock } = context.ports
  const { timeoutMs } = context.transfer
  const startedAt = clock.now()
  emit({ kind: 'conversion-started', asset, timeoutMs })
  const timer = setInterval(() => {
    emit({ kind: 'conversion-waiting', asset, waitedMs: clock.now() - startedAt })
  }, heartbeatIntervalFor(timeoutMs))
  return () => clearInterval(timer)
}

function progressReporter(
  asset: PlannedAsset,
  totalBytes: number | undefined,
  ports: Pick<EnginePorts, 'emit' | 'onBytes'>
): ((bytesSoFar: number) => void) | undefined {
  const quarters = quarterReporter(asset, totalBytes, ports.emit)
  const { onBytes } = ports
  if (!onBytes) return quarters
  return bytesSoFar => {
    onBytes(asset, bytesSoFar, totalBytes)
    quarters?.(bytesSoFar)
  }
}

function quarterReporter(
  asset: PlannedAsset,
  totalBytes: number | undefined,
  emit: EnginePorts['emit']
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
