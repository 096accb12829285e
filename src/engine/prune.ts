// Deleting what earlier runs wrote and the current selection no longer includes. Only files the
// lockfile records are candidates, and only regular files reached through real folders inside the
// workspace are deleted; nothing else in the folder is ever touched.

import { unlink } from 'node:fs/promises'
import path from 'node:path'
import { ExplainedError } from '../errors.js'
import type { FileRecord } from '../model.js'
import { hashFile } from './disk.js'
import type { WorkspaceFolders } from './workspace.js'

/**
 * What earlier runs wrote and the current selection no longer includes. Paths are compared as
 * macOS and Windows compare them, without case and in one Unicode form: there `Robot.glb` and
 * `robot.glb` are one file, and pruning the old name would delete the file just pulled. Pure.
 */
export function pruneCandidates(
  previous: readonly FileRecord[],
  selectedPaths: ReadonlySet<string>
): FileRecord[] {
  const selected = new Set([...selectedPaths].map(sameFileKey))
  return previous.filter(file => !selected.has(sameFileKey(file.path)))
}

function sameFileKey(filePath: string): string {
  return filePath.normalize('NFC').toLowerCase()
}

export type PruneVerdict =
  | { kind: 'deleted' | 'already-gone' }
  /** Not deleted: someone changed the file since, or it is not a file the action could delete. */
  | { kind: 'kept'; reason: string }

/** Deletes a candidate only when it is still, byte for byte, the file the lockfile records. */
export async function pruneFile(
  file: FileRecord,
  folders: WorkspaceFolders,
  timeoutMs: number
): Promise<PruneVerdict> {
  const absolute = path.join(folders.workspace, file.path)
  try {
    const onDisk = await hashFile(folders, absolute, {
      maxBytes: file.bytes,
      timeoutMs
    })
    if (!onDisk) return { kind: 'already-gone' }
    if (onDisk.sha256 !== file.sha256)
      return { kind: 'kept', reason: 'it changed since the action wrote it' }
    await unlink(absolute)
    return { kind: 'deleted' }
  } catch (error) {
    if (!(error instanceof ExplainedError)) throw error
    return { kind: 'kept', reason: error.message }
  }
}
