// The runner's tool cache as the action's cache on self-hosted runners, which keep it between jobs:
// one store for the action, RUNNER_TOOL_CACHE/echo3d-assets/sha256/<hash>, shared by every job
// and repository on the machine. Any of those jobs can write it, so it has no index: it serves
// only the bytes a lockfile names (see docs/decisions/0014-content-addressed-caches.md).

import path from 'node:path'
import type { CacheCopy, CachedFile } from '../engine/index.js'
import type { Content } from '../model.js'
import { errorMessage } from '../errors.js'
import { ContentStore, makeRealFolders, type RunnerCache } from './cache-store.js'
import type { Logger } from './log.js'

/** A file that no job wrote or used for this long is removed, so the store does not grow for ever. */
const KEEP_UNUSED_MS = 30 * 24 * 60 * 60 * 1000

export class ToolCacheStore implements RunnerCache {
  readonly leavesWorkBehind = false
  private readonly files: ContentStore
  private opened: Promise<boolean> | undefined

  constructor(
    toolCache: string,
    private readonly log: Logger
  ) {
    const folder = path.join(toolCache, 'echo3d-assets', 'sha256')
    this.files = new ContentStore(toolCache, folder, true)
  }

  async find(content: Content): Promise<CachedFile | undefined> {
    if (!(await this.ready())) return undefined
    const found = await this.files.find(content)
    if (found) await this.files.touch(content.sha256)
    return found
  }

  async store(_storageId: string, filePath: string, content: Content): Promise<void> {
    if (await this.ready()) await this.files.add(filePath, content)
  }

  async receive(): Promise<CacheCopy | undefined> {
    return (await this.ready()) ? this.files.receive() : undefined
  }

  async finish(): Promise<void> {
    if (this.opened && (await this.opened)) await this.files.forgetUnused(KEEP_UNUSED_MS)
  }

  /** The store's folders, made or checked once: a link there turns the cache off, with one warning. */
  private ready(): Promise<boolean> {
    this.opened ??= makeRealFolders(this.files.root, this.files.folder).then(
      () => true,
      (error: unknown) => {
        this.log.warning(`The tool cache is not used: ${errorMessage(error)}`)
        return false
      }
    )
    return this.opened
  }
}
