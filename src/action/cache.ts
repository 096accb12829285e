// The cache behind the engine's cache port, on a runner. Self-hosted runners keep the tool cache
// between jobs; GitHub-hosted runners start each job with an empty one, so there the Actions cache
// service (@actions/cache) carries files across runs. Both hold files by SHA-256, and a hit is
// earned like a download: see docs/decisions/0014-content-addressed-caches.md.

import { createHash } from 'node:crypto'
import path from 'node:path'
import { NO_CACHE, cacheLookupTimeoutFor } from '../engine/index.js'
import { errorMessage } from '../errors.js'
import type { Shard } from '../model.js'
import { ActionsCacheStore } from './actions-cache.js'
import type { RunnerCache } from './cache-store.js'
import type { Logger } from './log.js'
import { ToolCacheStore } from './tool-cache.js'

export type { RunnerCache } from './cache-store.js'

/** `v2`: files by SHA-256 in one entry per catalogue and shard; `v1` held one file per entry. */
const KEY_VERSION = 'echo3d-assets-v2'

/** What the run pulls, as far as its cache is concerned: each such catalogue has entries of its own. */
export interface CacheScope {
  workspace: string
  destination: string
  lockfile?: string
  shard?: Shard
}

/**
 * The start of every Actions cache key of one catalogue and shard. Another destination or
 * lockfile, in the same repository, is another catalogue, and each shard pulls a part of its own:
 * none restores an entry that holds another's files.
 */
export function actionsCacheKeyPrefix(scope: CacheScope): string {
  const relative = (target: string | undefined): string =>
    target === undefined ? '' : path.relative(scope.workspace, target).split(path.sep).join('/')
  const catalogue = `${relative(scope.destination)}\n${relative(scope.lockfile)}`
  const digest = createHash('sha256').update(catalogue).digest('hex').slice(0, 12)
  const shard = scope.shard ? `${scope.shard.index}of${scope.shard.count}` : 'all'
  return `${KEY_VERSION}-${digest}-${shard}-`
}

export interface CacheChoice {
  enabled: boolean
  env: NodeJS.ProcessEnv
  scope: CacheScope
  /** The run's `timeout`: the longest one file may take. */
  timeoutMs: number
  log: Logger
}

type ActionsCacheLibrary = Pick<typeof import('@actions/cache'), 'isFeatureAvailable'>

/**
 * The Actions cache on a GitHub-hosted runner where the service is there, the tool cache
 * elsewhere. The cache library never fails the step: if it cannot even say whether the service is
 * there, the run warns and uses the tool cache.
 */
export async function chooseCache(
  choice: CacheChoice,
  loadLibrary: () => Promise<ActionsCacheLibrary> = () => import('@actions/cache')
): Promise<RunnerCache> {
  if (!choice.enabled) return { ...NO_CACHE, leavesWorkBehind: false }
  const { env } = choice
  const runnerTemp = env.RUNNER_TEMP
  if (env.RUNNER_ENVIRONMENT !== 'github-hosted' || !runnerTemp) return toolCache(choice)
  try {
    if (!(await loadLibrary()).isFeatureAvailable()) return toolCache(choice)
  } catch (error) {
    choice.log.warning(
      `The Actions cache is not usable (${errorMessage(error)}); files are cached in the tool cache of this runner only`
    )
    return toolCache(choice)
  }
  return new ActionsCacheStore({
    runnerTemp,
    keyPrefix: actionsCacheKeyPrefix(choice.scope),
    runStamp: `${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    lookupTimeoutMs: cacheLookupTimeoutFor(choice.timeoutMs),
    restoreTimeoutMs: choice.timeoutMs,
    log: choice.log
  })
}

/** Outside a runner there is no tool cache, and no cache. */
function toolCache({ env, log }: CacheChoice): RunnerCache {
  const root = env.RUNNER_TOOL_CACHE
  return root ? new ToolCacheStore(root, log) : { ...NO_CACHE, leavesWorkBehind: false }
}
