// Temporary files being written. Each one lives beside its destination under a name that says
// what it is, so that a cancelled job's leftovers can be recognised and removed, and a cancel
// signal removes the ones in flight before the process ends.

import { randomBytes } from 'node:crypto'
import { unlinkSync } from 'node:fs'
import { readdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { WorkspaceFolders } from '../workspace.js'

const PARTIAL_NAME = /^\.[0-9a-f]{12}\.echo3d-partial$/
const inFlight = new Set<string>()

export function newPartialPath(folder: string): string {
  const partialPath = path.join(folder, `.${randomBytes(6).toString('hex')}.echo3d-partial`)
  trackPartial(partialPath)
  return partialPath
}

/** A temporary file named elsewhere (a cache's copy), removed like ours if the run is cancelled. */
export function trackPartial(partialPath: string): void {
  inFlight.add(partialPath)
}

/** The partial file was renamed into place or removed. */
export function settled(partialPath: string): void {
  inFlight.delete(partialPath)
}

/** For signal handlers, which cannot wait: removes every partial file still being written. */
export function removePartialsNow(): void {
  for (const partialPath of inFlight) {
    try {
      unlinkSync(partialPath)
    } catch {
      // Already renamed or removed.
    }
  }
  inFlight.clear()
}

/**
 * Removes partial files that a cancelled or killed run left in these folders. A folder reached
 * through a link is left alone: the pull itself reports the link.
 */
export async function removeStalePartials(
  workspace: string,
  folders: Iterable<string>
): Promise<number> {
  let removed = 0
  const checked = new WorkspaceFolders(workspace)
  for (const folder of new Set(folders)) {
    const real = await checked.check(folder).then(
      () => true,
      () => false
    )
    if (!real) continue
    const names = await readdir(folder).catch(() => [] as string[])
    for (const name of names.filter(candidate => PARTIAL_NAME.test(candidate))) {
      await unlink(path.join(folder, name)).catch(() => undefined)
      removed++
    }
  }
  return removed
}
