import path from 'node:path'
import type { LockedFile } from './lockfile.js'
import { workspacePathOf } from './naming.js'
import type { PlannedAsset } from './plan.js'
import { hashFile, type WrittenFile } from './transfer/download.js'
import { mapWithConcurrency } from './transfer/pool.js'

/** `mode: check`: which selected assets are missing or stale, from metadata and the disk alone. */
export interface StaleAsset {
  path: string
  entry: string | null
  format: string
  reason: string
}

export interface CheckContext extends LockView {
  concurrency: number
}

export async function findStaleAssets(
  assets: readonly PlannedAsset[],
  context: CheckContext
): Promise<StaleAsset[]> {
  const verdicts = await mapWithConcurrency(assets, context.concurrency, async asset => {
    const verdict = await compareWithLockfile(asset, context)
    return 'stale' in verdict
      ? {
          path: workspacePathOf(context.workspace, context.destination, asset.relativePath),
          entry: asset.entryId,
          format: asset.format,
          reason: verdict.stale
        }
      : undefined
  })
  return verdicts.filter((verdict): verdict is StaleAsset => verdict !== undefined)
}

/** What the lockfile and the disk say about one asset: up to date (with its size and hash), or why not. */
export type LockVerdict = { upToDate: WrittenFile } | { stale: string; onDisk: boolean }

export interface LockView {
  workspace: string
  destination: string
  locked: ReadonlyMap<string, LockedFile>
}

/**
 * Up to date only when the lockfile, the file on disk (size and hash) and the server's storage ID
 * all agree. Shared by check mode and by pulls, which skip what is up to date.
 */
export async function compareWithLockfile(
  asset: PlannedAsset,
  view: LockView
): Promise<LockVerdict> {
  if (asset.method.kind === 'convert') {
    return { stale: `echo3D has no ${asset.format} file yet: it needs a conversion`, onDisk: false }
  }
  const locked = view.locked.get(
    workspacePathOf(view.workspace, view.destination, asset.relativePath)
  )
  if (!locked) return { stale: 'not pulled yet: the lockfile does not list it', onDisk: false }
  if (locked.storageId !== asset.method.storageId) {
    return { stale: 'echo3D has a newer version (its storage ID changed)', onDisk: false }
  }
  const onDisk = await hashFile(path.join(view.destination, asset.relativePath))
  if (!onDisk) return { stale: 'missing on disk', onDisk: false }
  if (onDisk.bytes !== locked.bytes || onDisk.sha256 !== locked.sha256) {
    return { stale: 'the file on disk differs from the lockfile', onDisk: true }
  }
  return { upToDate: onDisk }
}
