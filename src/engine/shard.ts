// Sharding: each job of a matrix takes a stable, balanced part of the selection. An entry's shard
// comes from a hash of its ID, not from its place in a list, so an entry stays in its shard as the
// catalogue grows; every file of an entry (each format, an OBJ's material and textures) goes with
// it. A file fetched by storage ID goes by that ID.

import { createHash } from 'node:crypto'
import type { FileRecord, Selection, Shard } from '../model.js'
import { sameFileKey } from './naming.js'

/** The shard, from 1 to `count`, that the key belongs to. */
export function shardOf(key: string, count: number): number {
  const digest = createHash('sha256').update(key).digest()
  return (digest.readUInt32BE(0) % count) + 1
}

export function isInShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(key, shard.count) === shard.index
}

/** The key of a lockfile's record: its entry, or for a file fetched as it is, its storage ID. */
function recordKey(record: Pick<FileRecord, 'entry' | 'storageId' | 'path'>): string {
  return record.entry ?? record.storageId ?? record.path
}

/** The selection's entries and files that belong to the shard; tags are resolved first. */
export function selectionInShard(selection: Selection, shard: Shard | undefined): Selection {
  if (!shard) return selection
  return {
    ...selection,
    entries: selection.entries.filter(entry => isInShard(entry.id, shard)),
    files: selection.files.filter(storageId => isInShard(storageId, shard))
  }
}

/** The records that belong to the shard. */
export function recordsInShard<T extends Pick<FileRecord, 'entry' | 'storageId' | 'path'>>(
  records: readonly T[],
  shard: Shard | undefined
): T[] {
  return records.filter(record => isInShard(recordKey(record), shard))
}

/** Two shards that write the same file: entries of each that one run would call a collision. */
export interface ShardConflict {
  path: string
  ours: string
  theirs: string
}

/**
 * A lockfile for a branch that other shards write to as well: their records as the branch has
 * them, and this shard's as this run wrote them. A path that both hold (compared without case, as
 * macOS and Windows do) is a conflict: one file cannot be two entries. Pure.
 */
export function mergeShardRecords(
  onBranch: readonly FileRecord[],
  fromThisRun: readonly FileRecord[],
  shard: Shard
): { records: FileRecord[]; conflicts: ShardConflict[] } {
  const ours = recordsInShard(fromThisRun, shard)
  const oursByPath = new Map(ours.map(record => [sameFileKey(record.path), record]))
  const others: FileRecord[] = []
  const conflicts: ShardConflict[] = []
  for (const record of onBranch) {
    if (isInShard(recordKey(record), shard)) continue
    const mine = oursByPath.get(sameFileKey(record.path))
    if (mine) conflicts.push({ path: mine.path, ours: recordKey(mine), theirs: recordKey(record) })
    else others.push(record)
  }
  return { records: [...others, ...ours], conflicts }
}
