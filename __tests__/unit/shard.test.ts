import { describe, expect, it } from '@jest/globals'
import { parseShard } from '../../src/settings/inputs.js'
import {
  mergeShardRecords,
  recordsInShard,
  selectionInShard,
  shardOf
} from '../../src/engine/shard.js'
import type { FileRecord, Selection } from '../../src/model.js'

const ids = (count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, index) => `entry-${from + index}`)

function selectionOf(entryIds: string[]): Selection {
  return {
    entries: entryIds.map(id => ({ id, formats: [] })),
    tags: [],
    files: [],
    defaultFormats: ['glb']
  }
}

function record(entry: string | null, storageId: string, path = `assets/${storageId}`): FileRecord {
  return { path, entry, format: 'glb', storageId, bytes: 1, sha256: 'a'.repeat(64) }
}

describe('shards', () => {
  it('split a selection into parts that together hold every entry once', () => {
    const all = ids(2000)
    const parts = [1, 2, 3, 4].map(index =>
      selectionInShard(selectionOf(all), { index, count: 4 }).entries.map(entry => entry.id)
    )
    expect(parts.flat().sort()).toEqual([...all].sort())
    for (const part of parts) {
      expect(part.length).toBeGreaterThan(2000 * 0.2)
      expect(part.length).toBeLessThan(2000 * 0.3)
    }
  })

  it('keep an entry in its shard as the catalogue grows, wherever it sits in the list', () => {
    const before = ids(1000)
    const after = [...ids(500, 5000), ...[...before].reverse(), ...ids(500, 9000)]
    for (const index of [1, 2, 3]) {
      const shard = { index, count: 3 }
      const was = selectionInShard(selectionOf(before), shard).entries.map(entry => entry.id)
      const is = new Set(selectionInShard(selectionOf(after), shard).entries.map(entry => entry.id))
      expect(was.every(id => is.has(id))).toBe(true)
    }
  })

  it("put every file of an entry in the entry's shard, and a storage ID's file by its ID", () => {
    const shard = { index: shardOf('lamp', 5), count: 5 }
    const records = [record('lamp', 's1'), record('lamp', 's2'), record(null, 'raw-1')]
    const inShard = recordsInShard(records, shard)
    expect(inShard.filter(file => file.entry === 'lamp')).toHaveLength(2)
    expect(inShard.some(file => file.storageId === 'raw-1')).toBe(
      shardOf('raw-1', 5) === shard.index
    )
  })

  it("merge a lockfile: the other shards' records from the branch, this shard's from the run", () => {
    const shard = { index: shardOf('mine', 2), count: 2 }
    const other = ['a', 'b', 'c', 'd', 'e', 'f'].find(id => shardOf(id, 2) !== shard.index)!
    const onBranch = [record(other, 'theirs-new'), record('mine', 'mine-old')]
    const fromRun = [record(other, 'theirs-stale'), record('mine', 'mine-new')]
    const merged = mergeShardRecords(onBranch, fromRun, shard)
    expect(merged.records.map(file => file.storageId)).toEqual(['theirs-new', 'mine-new'])
    expect(merged.conflicts).toEqual([])
  })

  it('report two shards that write one path, compared as macOS and Windows compare names', () => {
    const shard = { index: shardOf('mine', 2), count: 2 }
    const other = ['a', 'b', 'c', 'd', 'e', 'f'].find(id => shardOf(id, 2) !== shard.index)!
    const onBranch = [record(other, 'theirs', 'assets/chair.glb')]
    const fromRun = [record('mine', 'ours', 'assets/Chair.glb')]
    expect(mergeShardRecords(onBranch, fromRun, shard).conflicts).toEqual([
      { path: 'assets/Chair.glb', ours: 'mine', theirs: other }
    ])
  })
})

describe('parseShard', () => {
  it('reads k/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    expect(parseShard('1 / 1')).toEqual({ index: 1, count: 1 })
    expect(parseShard('')).toBeUndefined()
  })

  it.each(['0/4', '5/4', '1/0', '2', 'a/b', '1/300'])('refuses %s with the fix', raw => {
    expect(() => parseShard(raw)).toThrow(/Input 'shard': .*matrix\.shard/)
  })
})
