import { describe, expect, it } from '@jest/globals'
import { actionsCacheKey, cacheVersion } from '../../src/action/cache.js'
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

describe('cache keys', () => {
  it('are exact semver versions for the tool cache, one per storage ID', () => {
    const ids = [
      '0e8f3b52-6c1d-4f7a-8b2e-9a4c3d2e1f00',
      '4c8d2a10-3e5f-4b6a-9c7d-1e2f3a4b5c6d.glb',
      '1',
      '00000'
    ]
    const versions = ids.map(cacheVersion)
    // An alphanumeric prerelease identifier: never numeric, so never a leading-zero number.
    for (const version of versions) expect(version).toMatch(/^0\.0\.0-x[0-9a-f]{40}$/)
    expect(new Set(versions).size).toBe(ids.length)
  })

  // A key that changed between releases would orphan every entry users have cached.
  it('are the Actions cache keys of earlier releases, without characters the service refuses', () => {
    expect(actionsCacheKey('4c8d2a10-3e5f-4b6a-9c7d-1e2f3a4b5c6d.glb')).toBe(
      'echo3d-asset-v1-d8efb8a2e91b6ab7894604330278ddf5bc71e9e4'
    )
  })
})
