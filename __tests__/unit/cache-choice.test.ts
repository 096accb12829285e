import { describe, expect, it } from '@jest/globals'
import { chooseCache } from '../../src/action/cache.js'
import { recordingLogger } from '../../harness/in-process.ts'

const hosted = { RUNNER_ENVIRONMENT: 'github-hosted', RUNNER_TEMP: '/tmp/runner-temp' }
const scope = { workspace: '/work', destination: '/work/assets/echo3d' }

describe('chooseCache', () => {
  it.each([
    ['cannot be loaded', () => Promise.reject(new Error('no such module'))],
    [
      'throws when asked whether the service is there',
      () =>
        Promise.resolve({
          isFeatureAvailable: (): boolean => {
            throw new Error('stub: not implemented')
          }
        })
    ]
  ])(
    'falls back to the tool cache with a warning when the cache library %s',
    async (_name, load) => {
      const log = recordingLogger()
      const cache = await chooseCache(
        { enabled: true, env: hosted, scope, timeoutMs: 60_000, log },
        load
      )
      expect(cache.leavesWorkBehind).toBe(false)
      expect(log.warnings).toEqual([expect.stringMatching(/The Actions cache is not usable/)])
    }
  )
})
