// `mode: check`: which selected files are missing or stale, from metadata and the disk alone, or,
// with `verify: content`, from what echo3D serves for each file as well.

import type { Content, PlannedAsset, StaleAsset } from '../model.js'
import { mapWithConcurrency } from './concurrency.js'
import { compareWithLockfile, type DiskView } from './freshness.js'

/** Why a file that the lockfile vouches for is still stale; undefined when it is not. */
export type ServedComparison = (asset: PlannedAsset, onDisk: Content) => Promise<string | undefined>

export async function findStaleAssets(
  assets: readonly PlannedAsset[],
  view: DiskView,
  concurrency: number,
  compareServed?: ServedComparison
): Promise<StaleAsset[]> {
  const verdicts = await mapWithConcurrency(assets, concurrency, async asset => {
    const freshness = await compareWithLockfile(asset, view)
    const reason =
      'stale' in freshness ? freshness.stale : await compareServed?.(asset, freshness.upToDate)
    if (reason === undefined) return undefined
    return { path: asset.path, entry: asset.entryId, format: asset.format, reason }
  })
  return verdicts.filter(verdict => verdict !== undefined)
}
