// The engine: resolve, plan, pull, verify, the lockfile, check and prune. It knows nothing of where
// it runs: it takes its options and its ports (events, a cache, the redactor, the clock) and
// returns a report. The action in src/action/ and the command-line program in src/cli/ are the
// adapters around it.

import path from 'node:path'
import { errorMessage } from '../errors.js'
import { isAssetFormat } from '../formats.js'
import { plural } from '../quantities.js'
import type { Redactor } from '../secrets.js'
import type {
  Budget,
  CatalogEntry,
  CheckReport,
  Credentials,
  Failure,
  FileRecord,
  OptimizeSettings,
  Plan,
  PruneReport,
  PulledFile,
  PullReport,
  Selection,
  Shard,
  UnityProjectSetting,
  Verification
} from '../model.js'
import { findBudgetBreaches } from './budgets.js'
import { AdjustableLimit } from './concurrency.js'
import { recordConversions } from './conversions.js'
import {
  Echo3dClient,
  queryCollection,
  type Echo3dSession,
  type RequestPorts
} from './echo3d/client.js'
import { explainFailure, metadataQueryFailed } from './echo3d/explain.js'
import { catalogEntries } from './echo3d/metadata.js'
import type { EventSink, RunEvent } from './events.js'
import { byPath, contentByStorageId, findStaleAssets, type ServedComparison } from './freshness.js'
import { mergeLockfile, readLockfile, writeLockfile } from './lockfile.js'
import { workspaceRelative } from './naming.js'
import { isOptimizableKind, optimizationAskedFor } from './optimize/optimize-model.js'
import { NO_CACHE, type EnginePorts } from './ports.js'
import { judgeCandidate, pruneCandidates, pruneFile, type PruneScope } from './prune.js'
import { fetchServedContent, pullPlanned, type PullContext, type PullResult } from './pull.js'
import { resolvePlan } from './resolve.js'
import { recordsInShard } from './shard.js'
import { Connections } from './transfer/http.js'
import type { ProxySettings } from './transfer/proxy.js'
import { removeStalePartials } from './transfer/partials.js'
import {
  candidateMetas,
  checkUnityMetas,
  finishUnityProject,
  lookUpUnityProject
} from './unity/index.js'
import { WorkspaceFolders } from './workspace.js'

export type {
  AssetCache,
  ByteProgress,
  CacheCopy,
  CachedFile,
  Clock,
  EnginePorts,
  HeldFile
} from './ports.js'
export { NO_CACHE, SYSTEM_CLOCK } from './ports.js'
export type { EventSink, RunEvent } from './events.js'
export type { RequestPorts } from './echo3d/client.js'
export { cacheLookupTimeoutFor } from './limits.js'
export { isBelow, isInside, isPlainName, sameFileKey, workspaceRelative } from './naming.js'
export { removePartialsNow } from './transfer/partials.js'
export { closedWithin, WRITE_BUFFER_BYTES } from './transfer/download.js'
export { firstNotAFolder, readWorkspaceText, WorkspaceFolders } from './workspace.js'
export { BytesInFlight, mapWithConcurrency } from './concurrency.js'
export { writeWorkspaceText } from './text-file.js'
export { lookUpUnityProject } from './unity/index.js'
export { mergeShardRecords, type ShardConflict } from './shard.js'
export { MAX_LOCKFILE_BYTES, parseLockfile, writeLockfile } from './lockfile.js'
export {
  isLoopbackHost,
  NO_PROXY,
  proxyCredentials,
  proxySettingsFrom,
  type ProxySettings
} from './transfer/proxy.js'

export interface EngineOptions {
  /** Absolute; nothing is written outside it. */
  workspace: string
  apiUrl: URL
  credentials: Credentials
  selection: Selection
  convertMissing: boolean
  /** Absolute destination folder, inside the workspace. */
  destination: string
  fileNameTemplate: string
  /** Absolute path of the lockfile; undefined for none. */
  lockfile?: string
  prune: boolean
  /** The longest one asset may take, conversion wait included. */
  timeoutMs: number
  retries: number
  /** Transfers at once. */
  concurrency: number
  /** Conversions waited on at once, beside the transfers. */
  conversionConcurrency: number
  /** The largest file accepted; a larger body fails its asset. */
  maxFileBytes: number
  /** The proxy echo3D is reached through, as the runner sets it. */
  proxy: ProxySettings
  verify: Verification
  /** Only this part of the selection, when the work is split over a matrix. */
  shard?: Shard
  /** Limits each selected model is held to, as written (optimised, if it is); none when empty. */
  budgets: Budget[]
  /** GLB and glTF models are optimised with these settings before they are written; undefined: as served. */
  optimize?: OptimizeSettings
  /** Where a Unity project is, for its `.meta` files: looked for in the workspace unless set. */
  unityProject?: UnityProjectSetting
}

/** What a conversation with echo3D needs, apart from what is selected. */
type SessionOptions = Pick<
  EngineOptions,
  | 'apiUrl'
  | 'credentials'
  | 'proxy'
  | 'timeoutMs'
  | 'retries'
  | 'concurrency'
  | 'conversionConcurrency'
>

/** Pulls the selection into the destination, prunes if asked, and writes the lockfile. */
export async function pullAssets(options: EngineOptions, ports: EnginePorts): Promise<PullReport> {
  const previous = await readPreviousLockfile(options, ports.emit)
  const unityLookup = await lookUpUnityProject(options)
  const { plan, files, failures, notes } = await withEcho3d(options, session =>
    pullSelection(options, session, previous, ports)
  )
  const { gone, deleted } = await pruneUnselected(options, previous, plan, failures, ports)
  await updateLockfile(options, previous, files, gone)
  const unity = await finishUnityProject(
    unityLookup,
    options,
    {
      arrived: files.filter(file => file.source !== 'unchanged'),
      files,
      pruned: gone,
      deleted,
      previous
    },
    ports.emit
  )
  await finishCache(files, ports)
  const overBudget = findBudgetBreaches(files, options.budgets)
  return {
    files: withVersionsReplaced(files, previous),
    failures,
    // A record whose file was already gone is only forgotten: a commit must not delete that path
    // on a branch, where nothing proved the file there to be the action's.
    pruned: deleted,
    notes,
    overBudget,
    ...(unity ? { unity } : {})
  }
}

/** The cache keeps what this pull holds; one that cannot save itself never fails the run. */
async function finishCache(files: readonly PulledFile[], ports: EnginePorts): Promise<void> {
  // The cache holds echo3D's bytes: an optimised file's source.
  const held = files.flatMap(file => {
    const { bytes, sha256 } = file.optimized?.source ?? file
    return file.storageId === null ? [] : [{ storageId: file.storageId, bytes, sha256 }]
  })
  try {
    await ports.cache.finish(held)
  } catch (error) {
    ports.emit({ kind: 'cache-save-failed', reason: errorMessage(error) })
  }
}

/** Each file that replaced a recorded version carries that version, for the review of changes. */
function withVersionsReplaced(
  files: readonly PulledFile[],
  previous: readonly FileRecord[]
): PulledFile[] {
  const recorded = byPath(previous)
  return files.map(file => {
    const before = recorded.get(file.path)
    if (!before || before.sha256 === file.sha256) return file
    return {
      ...file,
      before: { bytes: before.bytes, ...(before.model ? { model: before.model } : {}) }
    }
  })
}

interface Pulled {
  plan: Plan
  files: PulledFile[]
  failures: Failure[]
  notes: string[]
}

async function pullSelection(
  options: EngineOptions,
  session: Echo3dSession,
  previous: readonly FileRecord[],
  ports: EnginePorts
): Promise<Pulled> {
  const plan = await resolveSelection(options, session, ports)
  await removeLeftovers(options, plan, ports.emit)
  const context = pullContext(options, session, previous, ports)
  const pulled = await pullStage(plan, context, options.concurrency)
  const successes = pulled.flatMap(result => ('file' in result ? [result] : []))
  const failures = pulled.flatMap(result => ('failure' in result ? [result.failure] : []))
  const files = await recordConversions(successes, context)
  const notes = [...conversionNotes(context), ...passThroughNotes(plan, options.optimize)]
  return { plan, files, failures: [...plan.failures, ...failures], notes }
}

function conversionNotes(context: PullContext): string[] {
  const { initial, current } = context.transfer.conversions
  if (current === initial) return []
  return [
    `echo3D answered conversions with 429 Too Many Requests, so this run lowered the conversions it waits on at once from ${initial} to ${current}. Lower \`conversion-concurrency\` to ${current} to ask for no more than echo3D takes.`
  ]
}

/** With `optimize`, the models of other formats than GLB and glTF are written as echo3D serves them. */
function passThroughNotes(plan: Plan, optimize: OptimizeSettings | undefined): string[] {
  const formats = plan.assets.flatMap(asset =>
    asset.expect &&
    isAssetFormat(asset.expect) &&
    optimizationAskedFor(asset, optimize) &&
    !isOptimizableKind(asset.expect)
      ? [asset.expect.toUpperCase()]
      : []
  )
  if (formats.length === 0) return []
  return [
    `\`optimize\` applies to GLB and glTF files; written as echo3D serves them: ${plural(formats.length, 'model')} (${[...new Set(formats)].join(', ')}).`
  ]
}

/** Which selected files are missing or stale: one metadata query, no transfer, nothing written. */
export async function checkAssets(
  options: EngineOptions,
  ports: RequestPorts
): Promise<CheckReport> {
  const previous = await readPreviousLockfile(options, ports.emit)
  const unityLookup = await lookUpUnityProject(options)
  const { plan, stale } = await withEcho3d(options, async session => {
    const plan = await resolveSelection(options, session, ports)
    const context = pullContext(options, session, previous, { ...ports, cache: NO_CACHE })
    const compareServed = options.verify === 'content' ? servedComparison(context) : undefined
    const stale = await findStaleAssets(
      plan.assets,
      context.disk,
      options.concurrency,
      compareServed
    )
    return { plan, stale }
  })
  const selected = plan.assets.map(asset => ({ ...asset, entry: asset.entryId }))
  stale.push(...(await checkUnityMetas(unityLookup, options, selected)))
  for (const asset of stale) ports.emit({ kind: 'stale', stale: asset })
  if (stale.length === 0 && plan.failures.length === 0) {
    ports.emit({ kind: 'up-to-date', files: plan.assets.length })
  }
  const selectedPaths = new Set(plan.assets.map(asset => asset.path))
  const recorded = previous.filter(record => selectedPaths.has(record.path))
  const overBudget = findBudgetBreaches(recorded, options.budgets)
  return { selected: plan.assets.length, stale, failures: plan.failures, overBudget }
}

async function readPreviousLockfile(
  options: EngineOptions,
  emit: EventSink
): Promise<FileRecord[]> {
  if (!options.lockfile) return []
  const destination = workspaceRelative(options.workspace, options.destination)
  const previous = await readLockfile(options.workspace, options.lockfile, destination)
  if (previous.ignored !== undefined) {
    const lockfilePath = workspaceRelative(options.workspace, options.lockfile)
    emit({ kind: 'lockfile-ignored', path: lockfilePath, reason: previous.ignored })
  }
  return previous.records
}

/**
 * Prunes without pulling: deletes the files the lockfile records that the selection no longer
 * holds, or with `dryRun` only lists them. One metadata query; nothing is transferred.
 */
export async function pruneAssets(
  options: EngineOptions,
  ports: RequestPorts,
  dryRun: boolean
): Promise<PruneReport> {
  const previous = await readPreviousLockfile(options, ports.emit)
  const unityLookup = await lookUpUnityProject(options)
  const plan = await withEcho3d(options, session => resolveSelection(options, session, ports))
  const skipped = pruneSkipped(plan, plan.failures)
  if (skipped) {
    ports.emit(skipped)
    const unmatched = plan.unmatchedTags ? { unmatchedTags: plan.unmatchedTags } : {}
    const none = { candidates: [], pruned: [], kept: [], alreadyGone: [] }
    return { ...none, failures: plan.failures, ...unmatched }
  }
  const candidates = unselectedRecords(options, previous, plan)
  if (dryRun) {
    const { gone, kept, alreadyGone } = await judgeUnselected(candidates, options, ports.redactor)
    const metas = await candidateMetas(unityLookup, options, gone)
    const listed = metas ? { candidateMetas: metas } : {}
    return { candidates, pruned: [], kept, alreadyGone, failures: [], ...listed }
  }
  const { gone, kept, deleted, alreadyGone } = await deleteUnselected(candidates, options, ports)
  await updateLockfile(options, previous, [], gone)
  // The files that stay are the lockfile's others: a pruned model's `.meta` may move to one.
  const stay = previous.filter(record => !gone.includes(record))
  const unity = await finishUnityProject(
    unityLookup,
    options,
    { arrived: [], files: stay, pruned: gone, deleted, previous },
    ports.emit
  )
  const report = { candidates, pruned: deleted, kept, alreadyGone, failures: [] }
  return { ...report, ...(unity ? { unity } : {}) }
}

/** The collection's entries, or those with any of the tags, for choosing what to select. */
export async function listCatalog(
  options: SessionOptions,
  tags: readonly string[],
  ports: RequestPorts
): Promise<CatalogEntry[]> {
  return withEcho3d(options, async session => {
    try {
      return catalogEntries(await queryCollection(session, ports, tags))
    } catch (error) {
      throw metadataQueryFailed(error)
    }
  })
}

/** One keep-alive connection pool for everything said to echo3D in this run. */
async function withEcho3d<T>(
  options: SessionOptions,
  work: (session: Echo3dSession) => Promise<T>
): Promise<T> {
  const connections = new Connections(
    options.concurrency + options.conversionConcurrency,
    options.proxy
  )
  const session: Echo3dSession = {
    client: new Echo3dClient(options.apiUrl, options.credentials),
    connections,
    retries: options.retries,
    timeoutMs: options.timeoutMs
  }
  try {
    return await work(session)
  } finally {
    await connections.close()
  }
}

async function resolveSelection(
  options: EngineOptions,
  session: Echo3dSession,
  ports: RequestPorts
): Promise<Plan> {
  ports.emit({ kind: 'stage-started', stage: 'resolving' })
  try {
    return await resolvePlan(options, session, ports)
  } finally {
    ports.emit({ kind: 'stage-ended' })
  }
}

/** Partial files that a cancelled or killed run left where this run writes. */
async function removeLeftovers(options: EngineOptions, plan: Plan, emit: EventSink): Promise<void> {
  const folders = plan.assets.map(asset =>
    path.dirname(path.join(options.destination, asset.relativePath))
  )
  const count = await removeStalePartials(options.workspace, [options.destination, ...folders])
  if (count > 0) emit({ kind: 'partials-removed', count })
}

function pullContext(
  options: EngineOptions,
  session: Echo3dSession,
  previous: readonly FileRecord[],
  ports: EnginePorts
): PullContext {
  return {
    transfer: {
      ...session,
      maxFileBytes: options.maxFileBytes,
      conversions: new AdjustableLimit(options.conversionConcurrency)
    },
    disk: {
      folders: new WorkspaceFolders(options.workspace),
      destination: options.destination,
      locked: byPath(previous),
      recorded: contentByStorageId(previous),
      timeoutMs: options.timeoutMs,
      redactor: ports.redactor,
      verify: options.verify,
      ...(options.optimize ? { optimize: options.optimize } : {}),
      inspections: { models: 0, statisticsMs: 0, validated: 0, validationMs: 0 }
    },
    ports
  }
}

async function pullStage(
  plan: Plan,
  context: PullContext,
  concurrency: number
): Promise<PullResult[]> {
  const { emit } = context.ports
  emit({ kind: 'stage-started', stage: 'pulling', files: plan.assets.length })
  try {
    const results = await pullPlanned(plan.assets, context, concurrency)
    const unchanged = results.filter(
      result => 'file' in result && result.file.source === 'unchanged'
    )
    if (unchanged.length > 0) emit({ kind: 'unchanged-total', files: unchanged.length })
    reportInspections(context)
    return results
  } finally {
    emit({ kind: 'stage-ended' })
  }
}

/** One line for what reading the models took, apart from the transfers. */
function reportInspections(context: PullContext): void {
  const { models, statisticsMs, validated, validationMs } = context.disk.inspections
  if (models === 0) return
  context.ports.emit({
    kind: 'models-inspected',
    models,
    statisticsMs: Math.round(statisticsMs),
    validated,
    validationMs: Math.round(validationMs)
  })
}

/**
 * Prunes only when the selection is known for sure (see pruneSkipped): a failed entry's files stay
 * where they are until a run can tell that they are no longer wanted. Returns the records of the
 * files now gone.
 */
async function pruneUnselected(
  options: EngineOptions,
  previous: readonly FileRecord[],
  plan: Plan,
  failures: readonly Failure[],
  ports: Pick<EnginePorts, 'emit' | 'redactor'>
): Promise<Deletion> {
  const none: Deletion = { gone: [], deleted: [], kept: [], alreadyGone: [] }
  if (!options.prune) return none
  const skipped = pruneSkipped(plan, failures)
  if (skipped) {
    ports.emit(skipped)
    return none
  }
  const candidates = unselectedRecords(options, previous, plan)
  return deleteUnselected(candidates, options, ports)
}

/**
 * Why nothing may be pruned, when the selection is not known for sure: a failed entry, or a tag
 * that selected nothing (mistyped, say), would make every file it stands for look unselected.
 */
function pruneSkipped(plan: Plan, failures: readonly Failure[]): RunEvent | undefined {
  if (failures.length > 0) return { kind: 'prune-skipped' }
  if (plan.unmatchedTags) return { kind: 'prune-skipped', unmatchedTags: plan.unmatchedTags }
  return undefined
}

/** What the lockfile records of this shard and the plan no longer holds, sorted by path. */
function unselectedRecords(
  options: EngineOptions,
  previous: readonly FileRecord[],
  plan: Plan
): FileRecord[] {
  const selected = new Set(plan.assets.map(asset => asset.path))
  // Another shard's files are that shard's to prune.
  const ours = recordsInShard(previous, options.shard)
  return pruneCandidates(ours, selected).sort((a, b) => (a.path < b.path ? -1 : 1))
}

interface Deletion {
  /** Deleted, or already gone: the lockfile forgets them. */
  gone: FileRecord[]
  /** Those deleted, each proven the file its record describes. */
  deleted: FileRecord[]
  kept: { path: string; reason: string }[]
  /** The paths of those found already gone. */
  alreadyGone: string[]
}

async function deleteUnselected(
  candidates: readonly FileRecord[],
  options: EngineOptions,
  { emit, redactor }: Pick<EnginePorts, 'emit' | 'redactor'>
): Promise<Deletion> {
  const deletion: Deletion = { gone: [], deleted: [], kept: [], alreadyGone: [] }
  const scope = pruneScope(options, redactor)
  for (const file of candidates) {
    const verdict = await pruneFile(file, scope)
    if (verdict.kind === 'kept') {
      emit({ kind: 'prune-kept', path: file.path, reason: verdict.reason })
      deletion.kept.push({ path: file.path, reason: verdict.reason })
      continue
    }
    if (verdict.kind === 'deleted') {
      emit({ kind: 'pruned', path: file.path })
      deletion.deleted.push(file)
    } else {
      deletion.alreadyGone.push(file.path)
    }
    deletion.gone.push(file)
  }
  return deletion
}

/** A dry run: which candidates prune would delete (or forget, as already gone), and which keep. */
async function judgeUnselected(
  candidates: readonly FileRecord[],
  options: EngineOptions,
  redactor: Redactor
): Promise<Omit<Deletion, 'deleted'>> {
  const judged: Omit<Deletion, 'deleted'> = { gone: [], kept: [], alreadyGone: [] }
  const scope = pruneScope(options, redactor)
  for (const file of candidates) {
    const verdict = await judgeCandidate(file, scope)
    if (verdict.kind === 'kept') judged.kept.push({ path: file.path, reason: verdict.reason })
    else judged.gone.push(file)
    if (verdict.kind === 'already-gone') judged.alreadyGone.push(file.path)
  }
  return judged
}

function pruneScope(options: EngineOptions, redactor: Redactor): PruneScope {
  return {
    folders: new WorkspaceFolders(options.workspace),
    timeoutMs: options.timeoutMs,
    redactor
  }
}

async function updateLockfile(
  options: EngineOptions,
  previous: readonly FileRecord[],
  files: readonly PulledFile[],
  pruned: readonly FileRecord[]
): Promise<void> {
  if (!options.lockfile) return
  const prunedPaths = new Set(pruned.map(file => file.path))
  await writeLockfile(
    options.workspace,
    options.lockfile,
    mergeLockfile(previous, files, prunedPaths)
  )
}

/** Check mode with `verify: content`: a file is up to date only if echo3D serves the same bytes. */
function servedComparison(context: PullContext): ServedComparison {
  return async (asset, onDisk) => {
    // An optimised file is compared by the source it was made from.
    const expected = context.disk.locked.get(asset.path)?.optimized?.source ?? onDisk
    try {
      const served = await fetchServedContent(asset, context)
      if (served.bytes === expected.bytes && served.sha256 === expected.sha256) return undefined
      return 'the file on disk is not what echo3D serves for its storage ID'
    } catch (error) {
      const message = explainFailure(error, { kind: 'storage', format: asset.format })
      return `echo3D's copy could not be fetched to compare with: ${message}`
    }
  }
}
