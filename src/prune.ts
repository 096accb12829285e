import { unlink } from 'node:fs/promises'
import path from 'node:path'
import type { LockedFile } from './lockfile.js'
import type { Logger } from './report/log.js'
import { hashFile } from './transfer/download.js'

/** What earlier runs wrote and the current selection no longer includes. Pure. */
export function pruneCandidates(
  previous: readonly LockedFile[],
  selectedPaths: ReadonlySet<string>
): LockedFile[] {
  return previous.filter(file => !selectedPaths.has(file.path))
}

/**
 * Deletes the candidates the lockfile says this action wrote. A file whose content no longer
 * matches the lockfile was changed by someone else: it is kept, with a warning. Returns the paths
 * that are gone (deleted now, or already missing), which leave the lockfile.
 */
export async function pruneFiles(
  candidates: readonly LockedFile[],
  workspace: string,
  log: Logger
): Promise<Set<string>> {
  const gone = new Set<string>()
  for (const file of candidates) {
    const absolute = path.join(workspace, file.path)
    const onDisk = await hashFile(absolute)
    if (!onDisk) {
      gone.add(file.path)
      continue
    }
    if (onDisk.sha256 !== file.sha256) {
      log.warning(`Not pruning ${file.path}: it changed since the action wrote it`)
      continue
    }
    await unlink(absolute)
    gone.add(file.path)
    log.info(`Pruned ${file.path} (no longer selected)`)
  }
  return gone
}
