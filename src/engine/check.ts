// `mode: check`: which selected files are missing or stale, from metadata and the disk alone.

import type { PlannedAsset, StaleAsset } from '../model.js'
import { mapWithConcurrency } from './concurrency.js'
import { compareWithLockfile, type LockView } from './freshness.js'

export async function findStaleAssets(
  assets: readonly PlannedAsset[],
  view: LockView,
  concurrency: number
): Promise<StaleAsset[]> {
  const verdicts = await mapWithConcurrency(assets, concurrency, async asset => {
    const freshness = await compareWithLockfile(asset, view)
    if (!('stale' in freshness)) return undefined
    return { path: asset.path, entry: asset.entryId, format: asset.format, reason: freshness.stale }
  })
  return verdicts.filter(verdict => verdict !== undefined)
}
