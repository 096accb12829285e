// The Actions cache service as the action's cache on GitHub-hosted runners, whose disks start empty
// in every job. The store is one cache entry per catalogue and shard: restored once, by the prefix
// of its key, the first time the run needs the cache, and saved once at the end, under a key of
// its own, when the run downloaded something new, holding only the files the run holds. So a run
// makes at most two lookups and one save whatever the catalogue's size, and never two restores at
// once (see docs/decisions/0014-content-addressed-caches.md).
//
// GitHub scopes the entries to the repository and its branches, so the store's index of storage
// IDs may stand in for a lockfile that has no record of one. A service that is down or slow never
// fails the step: the cache is turned off for the rest of the run, with one warning.

import { createHash } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readWorkspaceText, type CachedFile, type HeldFile } from '../engine/index.js'
import { errorMessage } from '../errors.js'
import type { Content } from '../model.js'
import { formatDuration } from '../quantities.js'
import { ContentStore, makeRealFolders, type RunnerCache } from './cache-store.js'
import type { Logger } from './log.js'

export interface ActionsCacheSettings {
  /** RUNNER_TEMP: the same path in every job, as the entry's version is derived from it. */
  runnerTemp: string
  /** What every key of this catalogue and shard starts with. */
  keyPrefix: string
  /** Different for every run and attempt of the job: two jobs never save the same key. */
  runStamp: string
  /** The longest the first lookup may take before the cache is given up on. */
  lookupTimeoutMs: number
  /** The longest the restore of the entry found may take. */
  restoreTimeoutMs: number
  log: Logger
}

/** The largest index read: about 60,000 files' records. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024
const INDEX_VERSION = 1

export class ActionsCacheStore implements RunnerCache {
  leavesWorkBehind = false
  private readonly root: string
  private readonly files: ContentStore
  private opened: Promise<boolean> | undefined
  private working = true
  private index = new Map<string, Content>()
  /** Bytes handed out this run: one stored again was a copy that failed its hash. */
  private readonly served = new Set<string>()
  /** Whether the store or its index now differs from what was restored: worth a save. */
  private changed = false

  constructor(private readonly settings: ActionsCacheSettings) {
    this.root = path.join(settings.runnerTemp, 'echo3d-cache')
    this.files = new ContentStore(settings.runnerTemp, path.join(this.root, 'sha256'), false)
  }

  async find(content: Content): Promise<CachedFile | undefined> {
    const found = (await this.ready()) ? await this.files.find(content) : undefined
    if (found) this.served.add(content.sha256)
    return found
  }

  async vouchFor(storageId: string): Promise<Content | undefined> {
    return (await this.ready()) ? this.index.get(storageId) : undefined
  }

  async store(storageId: string, filePath: string, content: Content): Promise<void> {
    if (!(await this.ready())) return
    const known = this.index.get(storageId)
    const indexed = known?.bytes === content.bytes && known.sha256 === content.sha256
    const held = !this.served.has(content.sha256) && (await this.files.find(content))
    if (!indexed || !held) this.changed = true
    await this.files.add(filePath, content)
    this.index.set(storageId, content)
  }

  /** Saves the store under a new key, holding only what the run holds, if anything was added. */
  async finish(held: readonly HeldFile[]): Promise<void> {
    if (!this.working || !this.changed) return
    await this.files.keepOnly(new Set(held.map(file => file.sha256)))
    const present = await this.files.tidy()
    const indexed = held.filter(file => present.has(file.sha256) && this.learnt(file))
    const indexText = serializeIndex(indexed)
    const indexPath = path.join(this.root, 'index.json')
    await rm(indexPath, { recursive: true, force: true })
    await writeFile(indexPath, indexText, { flag: 'wx' })
    const key = `${this.settings.keyPrefix}${this.settings.runStamp}-${digest(indexText, 16)}`
    const { saveCache } = await import('@actions/cache')
    this.leavesWorkBehind = true
    const saved = await saveCache([this.root], key).catch((error: unknown) => errorMessage(error))
    if (typeof saved === 'number' && saved !== -1) return
    const reason = typeof saved === 'string' ? `: ${saved}` : ''
    throw new Error(`the Actions cache did not take the entry ${key}${reason}`)
  }

  /**
   * Whether echo3D itself gave these bytes for the storage ID, in this run or an earlier one that
   * saved the index: a file kept only because a lockfile named its hash must not teach the index
   * what the storage ID holds, or a forged lockfile's claim would outlive it.
   */
  private learnt(file: HeldFile): boolean {
    const known = this.index.get(file.storageId)
    return known?.bytes === file.bytes && known.sha256 === file.sha256
  }

  /** One restore for the whole run, which every lookup and store waits for. */
  private ready(): Promise<boolean> {
    this.opened ??= this.restore().then(
      () => true,
      (error: unknown) => this.giveUp(errorMessage(error))
    )
    return this.opened
  }

  /**
   * Looks the newest entry of the prefix up first, under a short deadline that tells a service
   * that does not answer; then restores that entry, which may be large, under a longer one.
   */
  private async restore(): Promise<void> {
    const { keyPrefix, lookupTimeoutMs, restoreTimeoutMs, runnerTemp } = this.settings
    await rm(this.root, { recursive: true, force: true })
    const { restoreCache } = await import('@actions/cache')
    this.leavesWorkBehind = true
    const lookup = restoreCache([this.root], keyPrefix, [keyPrefix], { lookupOnly: true })
    const found = await withinTime(lookup, lookupTimeoutMs)
    if (found === TIMED_OUT) {
      throw new Error(`it did not answer within ${formatDuration(lookupTimeoutMs)}`)
    }
    if (found) {
      const restored = await withinTime(restoreCache([this.root], found), restoreTimeoutMs)
      if (restored === TIMED_OUT) {
        throw new Error(`restoring ${found} took longer than ${formatDuration(restoreTimeoutMs)}`)
      }
      if (restored !== found) throw new Error(`it could not restore ${found}`)
    }
    await makeRealFolders(runnerTemp, this.files.folder)
    const present = await this.files.tidy()
    this.index = await readIndex(path.join(this.root, 'index.json'), present)
  }

  /** Called once at most, by the one restore. */
  private giveUp(reason: string): false {
    this.working = false
    this.settings.log.warning(
      `The Actions cache is not usable (${reason}); files are downloaded from echo3D without it`
    )
    return false
  }
}

function digest(text: string, hexDigits: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, hexDigits)
}

function serializeIndex(files: readonly HeldFile[]): string {
  const sorted = [...files]
    .map(({ storageId, bytes, sha256 }) => ({ storageId, bytes, sha256 }))
    .sort((a, b) => (a.storageId < b.storageId ? -1 : a.storageId > b.storageId ? 1 : 0))
  return JSON.stringify({ version: INDEX_VERSION, files: sorted })
}

/**
 * The restored index, for the files the store holds; a malformed one is an empty one. It is read
 * as a workspace file is: a regular file through real folders, never through a link.
 */
async function readIndex(
  indexPath: string,
  present: ReadonlySet<string>
): Promise<Map<string, Content>> {
  const root = path.dirname(indexPath)
  const tooLarge = () => new Error('the index is too large')
  const text = await readWorkspaceText(root, indexPath, MAX_INDEX_BYTES, tooLarge).catch(
    () => undefined
  )
  const index = new Map<string, Content>()
  for (const file of indexedFiles(text)) {
    if (present.has(file.sha256))
      index.set(file.storageId, { bytes: file.bytes, sha256: file.sha256 })
  }
  return index
}

function indexedFiles(text: string | undefined): HeldFile[] {
  try {
    const document = JSON.parse(text ?? '{}') as { version?: unknown; files?: unknown }
    if (document.version !== INDEX_VERSION || !Array.isArray(document.files)) return []
    return (document.files as unknown[]).filter(isHeldFile)
  } catch {
    return []
  }
}

function isHeldFile(raw: unknown): raw is HeldFile {
  const file = raw as Partial<Record<keyof HeldFile, unknown>> | null
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.storageId === 'string' &&
    Number.isSafeInteger(file.bytes) &&
    (file.bytes as number) >= 0 &&
    typeof file.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(file.sha256)
  )
}

const TIMED_OUT = Symbol('timed out')

/** The work's result, or TIMED_OUT; work that fails counts as finding nothing. */
async function withinTime<T>(
  work: Promise<T>,
  milliseconds: number
): Promise<T | undefined | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<typeof TIMED_OUT>(resolve => {
    timer = setTimeout(() => resolve(TIMED_OUT), milliseconds)
  })
  try {
    return await Promise.race([work.catch(() => undefined), deadline])
  } finally {
    clearTimeout(timer)
  }
}
