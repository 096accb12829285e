import path from 'node:path'
import type { LockedFile } from './lockfile.js'
import { workspacePathOf } from './naming.js'
import type { PlannedAsset } from './plan.js'
import { hashFile } from './transfer/download.js'
import { mapWithConcurrency } from './transfer/pool.js'

/** `mode: check`: which selected assets are missing or stale, from metadata and the disk alone. */
export interface StaleAsset {
  path: string
  entry: string | null
  format: string
  reason: string
}

export interface CheckContext {
  workspace: string
  destination: string
  locked: ReadonlyMap<string, LockedFile>
  concurrency: number
}

export async function findStaleAssets(
  assets: readonly PlannedAsset[],
  context: CheckContext
): Promise<StaleAsset[]> {
  const verdicts = await mapWithConcurrency(assets, context.concurrency, async asset => {
    const reason = await staleReason(asset, context)
    return reason
      ? {
          path: workspacePathOf(context.workspace, context.destination, asset.relativePath),
          entry: asset.entryId,
          format: asset.format,
          reason
        }
      : undefined
  })
  return verdicts.filter((verdict): verdict is StaleAsset => verdict !== undefined)
}

async function staleReason(
  asset: PlannedAsset,
  context: CheckContext
): Promise<string | undefined> {
  if (asset.method.kind === 'convert')
    return `echo3D has no ${asset.format} file yet: it needs a conversion`
  const workspacePath = workspacePathOf(context.workspace, context.destination, asset.relativePath)
  const locked = context.locked.get(workspacePath)
  if (!locked) return 'not pulled yet: the lockfile does not list it'
  if (locked.storageId !== asset.method.storageId)
    return 'echo3D has a newer version (its storage ID changed)'
  const onDisk = await hashFile(path.join(context.destination, asset.relativePath))
  if (!onDisk) return 'missing on disk'
  if (onDisk.bytes !== locked.bytes || onDisk.sha256 !== locked.sha256)
    return 'the file on disk differs from the lockfile'
  return undefined
}
