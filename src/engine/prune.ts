// Deleting what earlier runs wrote and the current selection no longer includes. Only files the
// lockfile records are candidates; nothing else in the folder is ever touched.

import { unlink } from 'node:fs/promises'
import path from 'node:path'
import type { FileRecord } from '../model.js'
import { hashFile } from './disk.js'

/** What earlier runs wrote and the current selection no longer includes. Pure. */
export function pruneCandidates(
  previous: readonly FileRecord[],
  selectedPaths: ReadonlySet<string>
): FileRecord[] {
  return previous.filter(file => !selectedPaths.has(file.path))
}

export type PruneVerdict = 'deleted' | 'already-gone' | 'changed'

/**
 * Deletes a candidate unless its content no longer matches the lockfile: then someone else changed
 * it, and it is kept.
 */
export async function pruneFile(file: FileRecord, workspace: string): Promise<PruneVerdict> {
  const absolute = path.join(workspace, file.path)
  const onDisk = await hashFile(absolute)
  if (!onDisk) return 'already-gone'
  if (onDisk.sha256 !== file.sha256) return 'changed'
  await unlink(absolute)
  return 'deleted'
}
