// A conversion's answer carries bytes but no storage ID. One more metadata query learns the IDs
// echo3D gave the new files, so that outputs and the lockfile name them and the next run finds
// them in the cache.

import path from 'node:path'
import { errorMessage } from '../errors.js'
import type { PlannedAsset, PulledFile } from '../model.js'
import { queryEntries } from './echo3d/client.js'
import type { EntryInfo } from './echo3d/metadata.js'
import { storeInCache, type PullContext } from './pull.js'

interface Converted {
  asset: PlannedAsset
  file: PulledFile
}

/** The files with the storage IDs of conversions filled in, where echo3D tells them. */
export async function recordConversions(
  pulled: readonly Converted[],
  context: PullContext
): Promise<PulledFile[]> {
  const { ports } = context
  const converted = pulled.filter(({ asset }) => asset.method.kind === 'convert')
  if (converted.length === 0) return pulled.map(({ file }) => file)
  let entries: EntryInfo[]
  try {
    const ids = new Set(converted.map(({ asset }) => asset.entryId ?? ''))
    entries = await queryEntries(context.transfer, ports, [...ids])
  } catch (error) {
    ports.emit({ kind: 'conversion-ids-unknown', reason: errorMessage(error) })
    return pulled.map(({ file }) => file)
  }
  const byId = new Map(entries.map(entry => [entry.id, entry]))
  const files: PulledFile[] = []
  for (const { asset, file } of pulled) {
    const storageId = convertedStorageId(asset, byId)
    if (!storageId) {
      files.push(file)
      continue
    }
    const filePath = path.join(context.disk.destination, asset.relativePath)
    // An optimised file is not what echo3D holds under the storage ID: the cache keeps only that.
    if (!file.optimized) await storeInCache(storageId, filePath, file, ports)
    files.push({ ...file, storageId })
  }
  return files
}

function convertedStorageId(
  asset: PlannedAsset,
  entries: ReadonlyMap<string, EntryInfo>
): string | undefined {
  if (asset.method.kind !== 'convert') return undefined
  return entries.get(asset.method.entryId)?.derived[asset.method.format]?.storageId
}
