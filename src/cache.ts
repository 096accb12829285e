import { createHash } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as toolCache from '@actions/tool-cache'
import type { WrittenFile } from './transfer/download.js'

/**
 * Caches fetched files by storage ID in the runner's tool cache. A storage ID's bytes are
 * assumed never to change, but each hit is still checked against its recorded size and hash
 * when it is copied out.
 */
export const CACHE_TOOL_NAME = 'echo3d-asset'
const ASSET_FILE = 'asset'
const RECORD_FILE = 'asset.json'

export interface CachedAsset extends WrittenFile {
  path: string
}

interface CacheRecord extends WrittenFile {
  storageId: string
}

/** tool-cache finds only exact, semver-valid versions; the `x` keeps a hex prefix from being numeric. */
export function cacheVersion(storageId: string): string {
  return `0.0.0-x${createHash('sha256').update(storageId).digest('hex').slice(0, 40)}`
}

export interface AssetCache {
  find(storageId: string): Promise<CachedAsset | undefined>
  store(storageId: string, filePath: string, written: WrittenFile): Promise<void>
}

export class ToolCacheStore implements AssetCache {
  async find(storageId: string): Promise<CachedAsset | undefined> {
    const folder = toolCache.find(CACHE_TOOL_NAME, cacheVersion(storageId))
    if (!folder) return undefined
    const record = await readRecord(path.join(folder, RECORD_FILE))
    const assetPath = path.join(folder, ASSET_FILE)
    if (!record || record.storageId !== storageId) return undefined
    const stats = await stat(assetPath).catch(() => undefined)
    if (stats?.size !== record.bytes) return undefined
    return { path: assetPath, bytes: record.bytes, sha256: record.sha256 }
  }

  async store(storageId: string, filePath: string, written: WrittenFile): Promise<void> {
    const folder = await toolCache.cacheFile(
      filePath,
      ASSET_FILE,
      CACHE_TOOL_NAME,
      cacheVersion(storageId)
    )
    const record: CacheRecord = { storageId, ...written }
    await writeFile(path.join(folder, RECORD_FILE), JSON.stringify(record))
  }
}

export class DisabledCache implements AssetCache {
  async find(): Promise<undefined> {
    return undefined
  }

  async store(): Promise<void> {}
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
