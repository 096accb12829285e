// Whether a planned file is already up to date on disk, by the lockfile's record of it. Check mode
// reports what is not; a pull skips what is.

import path from 'node:path'
import type { Content, FileRecord, PlannedAsset } from '../model.js'
import { hashFile } from './disk.js'

/** Up to date (with its size and hash), or why not, and whether a file is there at all. */
export type Freshness = { upToDate: Content } | { stale: string; onDisk: boolean }

export interface LockView {
  destination: string
  /** The lockfile's records, by workspace path. */
  locked: ReadonlyMap<string, FileRecord>
}

/** Up to date only when the lockfile, the file on disk (size and hash) and the storage ID agree. */
export async function compareWithLockfile(asset: PlannedAsset, view: LockView): Promise<Freshness> {
  if (asset.method.kind === 'convert') {
    return { stale: `echo3D has no ${asset.format} file yet: it needs a conversion`, onDisk: false }
  }
  const locked = view.locked.get(asset.path)
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

export function byPath(records: readonly FileRecord[]): Map<string, FileRecord> {
  return new Map(records.map(record => [record.path, record]))
}
