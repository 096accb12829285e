// The cache behind the engine's cache port, on a runner: files by storage ID. A storage ID's bytes
// are assumed never to change, so one cache entry per storage ID is written once and never
// duplicated; each hit is still checked against its recorded size and hash when it is copied out.
//
// Self-hosted runners keep the tool cache between jobs; GitHub-hosted runners start each job with
// an empty one, so there the Actions cache service (@actions/cache) carries files across runs.
// See docs/decisions/0003-cache-keys.md.

import { createHash } from 'node:crypto'
import { copyFile, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as toolCache from '@actions/tool-cache'
import {
  NO_CACHE,
  cacheLookupTimeoutFor,
  type AssetCache,
  type CachedFile
} from '../engine/index.js'
import { errorMessage } from '../errors.js'
import { formatDuration } from '../quantities.js'
import type { Content } from '../model.js'
import type { Logger } from './log.js'

export interface RunnerCache extends AssetCache {
  /**
   * True when the cache library may keep the process alive after the run: retries of a request
   * that was given up on, or keep-alive sockets (nodejs/node#47228). The run then exits explicitly.
   */
  readonly leavesWorkBehind: boolean
}

interface CacheRecord extends Content {
  storageId: string
}

const CACHE_TOOL_NAME = 'echo3d-asset'
const ASSET_FILE = 'asset'
const RECORD_FILE = 'asset.json'

function storageDigest(storageId: string): string {
  return createHash('sha256').update(storageId).digest('hex').slice(0, 40)
}

/** tool-cache finds only exact, semver-valid versions; the `x` keeps a hex prefix from being numeric. */
export function cacheVersion(storageId: string): string {
  return `0.0.0-x${storageDigest(storageId)}`
}

/** One Actions cache key per storage ID: a new file adds one entry, an old one is never saved again. */
export function actionsCacheKey(storageId: string): string {
  return `echo3d-asset-v1-${storageDigest(storageId)}`
}

export interface CacheChoice {
  enabled: boolean
  env: NodeJS.ProcessEnv
  timeoutMs: number
  log: Logger
}

type ActionsCacheLibrary = Pick<typeof import('@actions/cache'), 'isFeatureAvailable'>

/**
 * The Actions cache on a GitHub-hosted runner where the service is there, the tool cache
 * elsewhere. The cache library never fails the step: if it cannot even say whether the service is
 * there, the run warns and uses the tool cache.
 */
export async function chooseCache(
  choice: CacheChoice,
  loadLibrary: () => Promise<ActionsCacheLibrary> = () => import('@actions/cache')
): Promise<RunnerCache> {
  if (!choice.enabled) return { ...NO_CACHE, leavesWorkBehind: false }
  const runnerTemp = choice.env.RUNNER_TEMP
  if (choice.env.RUNNER_ENVIRONMENT !== 'github-hosted' || !runnerTemp) return new ToolCacheStore()
  try {
    if (!(await loadLibrary()).isFeatureAvailable()) return new ToolCacheStore()
  } catch (error) {
    choice.log.warning(
      `The Actions cache is not usable (${errorMessage(error)}); files are cached in the tool cache of this runner only`
    )
    return new ToolCacheStore()
  }
  return new ActionsCacheStore(
    path.join(runnerTemp, 'echo3d-cache'),
    cacheLookupTimeoutFor(choice.timeoutMs),
    choice.log
  )
}

class ToolCacheStore implements RunnerCache {
  readonly leavesWorkBehind = false

  async find(storageId: string): Promise<CachedFile | undefined> {
    const folder = toolCache.find(CACHE_TOOL_NAME, cacheVersion(storageId))
    return folder ? readCachedAsset(folder, storageId) : undefined
  }

  /**
   * Writes the entry in the tool cache's own layout (tool/version/arch plus an `arch.complete`
   * marker, which find() reads), hard-linking the file where the file system allows: cacheFile
   * copies it, which costs a large model as much disk and time again (docs/decisions/0003). The
   * link is safe because the action replaces files by rename, never in place, and every hit is
   * verified.
   */
  async store(storageId: string, filePath: string, content: Content): Promise<void> {
    const root = process.env.RUNNER_TOOL_CACHE
    if (!root) throw new Error('RUNNER_TOOL_CACHE is not set')
    const folder = path.join(root, CACHE_TOOL_NAME, cacheVersion(storageId), os.arch())
    await rm(folder, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    await linkOrCopy(filePath, path.join(folder, ASSET_FILE))
    await writeRecord(folder, storageId, content)
    await writeFile(`${folder}.complete`, '')
  }
}

/**
 * The Actions cache. A service that is down or slow never fails the step: the first lookup that
 * does not answer in time turns the cache off for the rest of the run, with one warning.
 */
class ActionsCacheStore implements RunnerCache {
  leavesWorkBehind = false
  private working = true
  private readonly root: string
  private readonly lookupTimeoutMs: number
  private readonly log: Logger

  constructor(root: string, lookupTimeoutMs: number, log: Logger) {
    this.root = root
    this.lookupTimeoutMs = lookupTimeoutMs
    this.log = log
  }

  async find(storageId: string): Promise<CachedFile | undefined> {
    if (!this.working) return undefined
    const folder = this.folderOf(storageId)
    const { restoreCache } = await import('@actions/cache')
    this.leavesWorkBehind = true
    const restored = await withinTime(
      restoreCache([folder], actionsCacheKey(storageId)),
      this.lookupTimeoutMs
    )
    if (restored === TIMED_OUT) {
      this.giveUp(`it did not answer within ${formatDuration(this.lookupTimeoutMs)}`)
      return undefined
    }
    return restored ? readCachedAsset(folder, storageId) : undefined
  }

  async store(storageId: string, filePath: string, content: Content): Promise<void> {
    if (!this.working) return
    const folder = this.folderOf(storageId)
    await mkdir(folder, { recursive: true })
    await linkOrCopy(filePath, path.join(folder, ASSET_FILE))
    await writeRecord(folder, storageId, content)
    const { saveCache } = await import('@actions/cache')
    try {
      await saveCache([folder], actionsCacheKey(storageId))
    } catch (error) {
      // Another job saving the same storage ID at the same time is expected; the entry exists.
      this.log.debug(`Cache save for storage ID ${storageId} skipped: ${errorMessage(error)}`)
    }
  }

  /** The same absolute path in every run: the cache version is derived from it. */
  private folderOf(storageId: string): string {
    return path.join(this.root, storageDigest(storageId))
  }

  private giveUp(reason: string): void {
    if (!this.working) return
    this.working = false
    this.log.warning(
      `The Actions cache is not usable (${reason}); files are downloaded from echo3D without it`
    )
  }
}

const TIMED_OUT = Symbol('timed out')

async function withinTime<T>(
  work: Promise<T>,
  milliseconds: number
): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<typeof TIMED_OUT>(resolve => {
    timer = setTimeout(() => resolve(TIMED_OUT), milliseconds)
  })
  try {
    return await Promise.race([work.catch(() => undefined as T), deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** A hard link costs nothing; across file systems it has to be a copy. */
async function linkOrCopy(source: string, target: string): Promise<void> {
  await rm(target, { force: true })
  await link(source, target).catch(() => copyFile(source, target))
}

async function writeRecord(folder: string, storageId: string, content: Content): Promise<void> {
  const record: CacheRecord = { storageId, bytes: content.bytes, sha256: content.sha256 }
  await writeFile(path.join(folder, RECORD_FILE), JSON.stringify(record))
}

async function readCachedAsset(folder: string, storageId: string): Promise<CachedFile | undefined> {
  const record = await readRecord(path.join(folder, RECORD_FILE))
  if (!record || record.storageId !== storageId) return undefined
  const assetPath = path.join(folder, ASSET_FILE)
  const stats = await stat(assetPath).catch(() => undefined)
  if (stats?.size !== record.bytes) return undefined
  return { path: assetPath, bytes: record.bytes, sha256: record.sha256 }
}

async function readRecord(recordPath: string): Promise<CacheRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as Partial<CacheRecord>
    const valid =
      typeof record.storageId === 'string' &&
      typeof record.bytes === 'number' &&
      typeof record.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(record.sha256)
    return valid ? (record as CacheRecord) : undefined
  } catch {
    return undefined
  }
}
