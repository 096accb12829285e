// The runner's tool cache as the action's cache on self-hosted runners, which keep it between jobs:
// one store for the action, RUNNER_TOOL_CACHE/echo3d-assets/sha256/<hash>, shared by every job
// and repository on the machine. Any of those jobs can write it, so it has no index: it serves
// only the bytes a lockfile names (see docs/decisions/0014-content-addressed-caches.md).

import path from 'node:path'
import type { CachedFile } from '../engine/index.js'
import type { Content } from '../model.js'
import { ContentStore, type RunnerCache } from './cache-store.js'

/** A file that no job wrote or used for this long is removed, so the store does not grow for ever. */
const KEEP_UNUSED_MS = 30 * 24 * 60 * 60 * 1000

export class ToolCacheStore implements RunnerCache {
  readonly leavesWorkBehind = false
  private readonly files: ContentStore

  constructor(toolCache: string) {
    this.files = new ContentStore(toolCache, path.join(toolCache, 'echo3d-assets', 'sha256'))
  }

  async find(content: Content): Promise<CachedFile | undefined> {
    const found = await this.files.find(content)
    if (found) await this.files.touch(content.sha256)
    return found
  }

  store(_storageId: string, filePath: string, content: Content): Promise<void> {
    return this.files.add(filePath, content)
  }

  finish(): Promise<void> {
    return this.files.forgetUnused(KEEP_UNUSED_MS)
  }
}
