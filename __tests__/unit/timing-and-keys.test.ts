import { describe, expect, it } from '@jest/globals'
import { actionsCacheKeyPrefix } from '../../src/action/cache.js'
import {
  cacheLookupTimeoutFor,
  heartbeatIntervalFor,
  stallTimeoutFor
} from '../../src/engine/limits.js'

const minutes = (count: number) => count * 60_000

describe('limits derived from timeout', () => {
  it('detects a stalled body well before the asset times out', () => {
    expect(stallTimeoutFor(minutes(20))).toBe(60_000)
    expect(stallTimeoutFor(15_000)).toBe(3_000)
    expect(stallTimeoutFor(1_000)).toBe(250)
  })

  it('beats at least every 20 s while a conversion is pending', () => {
    expect(heartbeatIntervalFor(minutes(20))).toBe(20_000)
    expect(heartbeatIntervalFor(minutes(60))).toBe(20_000)
    expect(heartbeatIntervalFor(30_000)).toBe(1_500)
    expect(heartbeatIntervalFor(2_000)).toBe(250)
  })

  it('gives a cache lookup 2 to 20 s', () => {
    expect(cacheLookupTimeoutFor(minutes(20))).toBe(20_000)
    expect(cacheLookupTimeoutFor(20_000)).toBe(2_000)
  })
})

describe('Actions cache keys', () => {
  const scope = {
    workspace: '/home/runner/work/app/app',
    destination: '/home/runner/work/app/app/assets/echo3d',
    lockfile: '/home/runner/work/app/app/assets/echo3d/echo3d.lock.json'
  }

  // A prefix that changed between releases would orphan every entry users have cached.
  it('start with a prefix of the catalogue and shard, the same on every runner', () => {
    expect(actionsCacheKeyPrefix(scope)).toBe('echo3d-assets-v2-6d61c790660a-all-')
    expect(
      actionsCacheKeyPrefix({
        workspace: '/runner/_work/app/app',
        destination: '/runner/_work/app/app/assets/echo3d',
        lockfile: '/runner/_work/app/app/assets/echo3d/echo3d.lock.json'
      })
    ).toBe(actionsCacheKeyPrefix(scope))
  })

  it('differ between shards and between catalogues, and hold no character the service refuses', () => {
    const prefixes = [
      actionsCacheKeyPrefix(scope),
      actionsCacheKeyPrefix({ ...scope, shard: { index: 1, count: 4 } }),
      actionsCacheKeyPrefix({ ...scope, shard: { index: 2, count: 4 } }),
      actionsCacheKeyPrefix({ ...scope, lockfile: undefined }),
      actionsCacheKeyPrefix({ ...scope, destination: `${scope.workspace}/models` })
    ]
    expect(new Set(prefixes).size).toBe(prefixes.length)
    expect(prefixes[1]).toMatch(/-1of4-$/)
    // No prefix is the start of another: a shard never restores another shard's entry.
    for (const prefix of prefixes) {
      expect(prefix).toMatch(/^[a-z0-9-]+$/)
      expect(prefixes.filter(other => other.startsWith(prefix))).toEqual([prefix])
    }
  })
})
