// What both runner caches are: the engine's cache port, over files named by their SHA-256 in one
// folder the action owns. No name from outside (a storage ID, a path from the lockfile or from an
// archive) ever names a file here, and nothing between the cache's root and a file may be a link:
// a store that another job or a restored archive filled is read only as regular files through
// real folders, and every byte read from it is hashed again on its way into the workspace
// (restoreFromCache in the engine).

import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { constants, createWriteStream, type WriteStream } from 'node:fs'
import { copyFile, link, lstat, lutimes, mkdir, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import {
  closedWithin,
  firstNotAFolder,
  WRITE_BUFFER_BYTES,
  type AssetCache,
  type CacheCopy,
  type CachedFile
} from '../engine/index.js'
import type { Content } from '../model.js'

export interface RunnerCache extends AssetCache {
  /**
   * True when the cache library may keep the process alive after the run: retries of a request
   * that was given up on, or keep-alive sockets (nodejs/node#47228). The run then exits explicitly.
   */
  readonly leavesWorkBehind: boolean
}

const SHA256_NAME = /^[0-9a-f]{64}$/
const PARTIAL_SUFFIX = '.partial'

/** How long a copy given up on may take to close before it is removed all the same. */
const CLOSE_TIMEOUT_MS = 10_000

/** A copy not written for this long was left by a job that was killed. */
const ABANDONED_COPY_MS = 24 * 60 * 60 * 1000

export class ContentStore {
  private stalled = false

  /**
   * @param root a folder the runner gives the action (the tool cache, RUNNER_TEMP)
   * @param folder where the files are, below `root`
   * @param shared whether other jobs write the store too (the tool cache of a self-hosted runner)
   */
  constructor(
    readonly root: string,
    readonly folder: string,
    private readonly shared: boolean
  ) {}

  /** The file of this size and hash, if the store has one of that size; the reader checks the hash. */
  async find(content: Content): Promise<CachedFile | undefined> {
    const filePath = this.pathOf(content.sha256)
    const stats = await lstat(filePath).catch(() => undefined)
    if (!stats?.isFile() || stats.size !== content.bytes) return undefined
    return { store: this.root, path: filePath }
  }

  /**
   * Puts a verified file in under its hash. A store of this job's own gets a hard link where the
   * file system allows (a copy costs a large model as much disk and time again): safe, as the
   * action replaces files by rename, never in place, and every read is hashed. A shared store gets
   * a copy (a clone where the file system can), as a link would be the workspace's own file, which
   * another job could then change in place after it was verified. A new name is renamed over the
   * old, so a link someone put there is replaced, never followed. The folder is made by
   * makeRealFolders, and checked again here: another job may have put a link in its place since.
   */
  async add(filePath: string, content: Content): Promise<void> {
    this.checkAnswering()
    await checkRealFolders(this.root, this.folder)
    const temporary = this.temporaryPath()
    const copy = () =>
      copyFile(filePath, temporary, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
    try {
      await (this.shared ? copy() : link(filePath, temporary).catch(copy))
      await this.fileUnder(temporary, content.sha256)
    } finally {
      await rm(temporary, { force: true })
    }
  }

  /**
   * A new file in the store, opened exclusively through real folders, for a download to be
   * written into as it arrives: a shared store's copy then costs no time after the download.
   */
  async receive(): Promise<CacheCopy> {
    this.checkAnswering()
    await checkRealFolders(this.root, this.folder)
    const temporary = this.temporaryPath()
    const file = createWriteStream(temporary, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES })
    await once(file, 'open')
    return new IncomingCopy(file, temporary, {
      fileUnder: sha256 => this.fileUnder(temporary, sha256),
      stoppedAnswering: () => {
        this.stalled = true
      }
    })
  }

  /** Marks the file as used now, for forgetUnused. */
  async touch(sha256: string): Promise<void> {
    const now = new Date()
    await lutimes(this.pathOf(sha256), now, now).catch(() => undefined)
  }

  /**
   * The hashes of the files the store holds. Anything else in its folder (a link, a folder, a
   * name that is no hash, a leftover of an interrupted write) is removed; a store that is itself
   * reached through a link is refused.
   */
  async tidy(): Promise<Set<string>> {
    await checkRealFolders(this.root, this.folder)
    const held = new Set<string>()
    for (const name of await this.names()) {
      const stats = await lstat(path.join(this.folder, name)).catch(() => undefined)
      if (stats?.isFile() && SHA256_NAME.test(name)) held.add(name)
      else await this.remove(name)
    }
    return held
  }

  /** Removes every file but these. */
  async keepOnly(keep: ReadonlySet<string>): Promise<void> {
    for (const name of await this.names()) {
      if (!keep.has(name)) await this.remove(name)
    }
  }

  /**
   * Removes what was not written or used for this long, and copies that no job has written for
   * a day (a killed job's: one being written is written to all the time). A store shared by jobs
   * needs no list.
   */
  async forgetUnused(forMs: number): Promise<void> {
    const now = Date.now()
    for (const name of await this.names()) {
      const stats = await lstat(path.join(this.folder, name)).catch(() => undefined)
      const unusedFor = name.endsWith(PARTIAL_SUFFIX) ? ABANDONED_COPY_MS : forMs
      if (stats && (!stats.isFile() || stats.mtimeMs < now - unusedFor)) await this.remove(name)
    }
  }

  private async names(): Promise<string[]> {
    await checkRealFolders(this.root, this.folder)
    return readdir(this.folder).catch(() => [])
  }

  private remove(name: string): Promise<void> {
    return rm(path.join(this.folder, name), { recursive: true, force: true })
  }

  /**
   * A disk that left a copy's write unanswered ties up one of Node's few file threads for good:
   * the store takes no more files this run, so that the downloads keep the others.
   */
  private checkAnswering(): void {
    if (this.stalled) throw new Error('its disk stopped answering a write earlier in this run')
  }

  private temporaryPath(): string {
    return path.join(this.folder, `.${randomUUID()}${PARTIAL_SUFFIX}`)
  }

  /** A whole file of the store's, renamed under its hash; the folders are checked again first. */
  private async fileUnder(temporary: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256)
    await checkRealFolders(this.root, this.folder)
    await rename(temporary, target)
  }

  private pathOf(sha256: string): string {
    if (!SHA256_NAME.test(sha256)) throw new Error(`${sha256} is not a SHA-256`)
    return path.join(this.folder, sha256)
  }
}

/**
 * A download's copy, written into the store as it arrives; filed under its hash only if it was
 * written to the end and has the download's length. Another job can still change it meanwhile,
 * as it can any file of a shared store: every read from the store is hashed again.
 */
class IncomingCopy implements CacheCopy {
  constructor(
    readonly file: WriteStream,
    readonly path: string,
    private readonly store: {
      fileUnder: (sha256: string) => Promise<void>
      /** The copy's file did not close in good time: its disk has a write it does not answer. */
      stoppedAnswering: () => void
    }
  ) {
    // A write that fails leaves the copy unfinished, which is all `keep` needs to know.
    file.on('error', () => undefined)
  }

  async keep(content: Content): Promise<void> {
    try {
      await this.checkWhole(content)
      await this.store.fileUnder(content.sha256)
    } finally {
      await rm(this.path, { force: true })
    }
  }

  /** Closed first where the disk allows, as Windows removes no open file. */
  async discard(): Promise<void> {
    this.file.destroy()
    if (await closedWithin(this.file, CLOSE_TIMEOUT_MS)) {
      await rm(this.path, { force: true })
      return
    }
    // Its disk may not answer the removal either; a leftover is forgotten a day later.
    this.store.stoppedAnswering()
    void rm(this.path, { force: true }).catch(() => undefined)
  }

  /** A copy that failed part way, or was cut short, is never filed. */
  private async checkWhole(content: Content): Promise<void> {
    const stats = await lstat(this.path)
    const written = this.file.writableFinished && !this.file.errored
    if (!written || !stats.isFile() || stats.size !== content.bytes) {
      throw new Error('its copy of the download is not whole')
    }
  }
}

/** Makes `folder` and those above it up to `root`, each a real folder, never through a link. */
export async function makeRealFolders(root: string, folder: string): Promise<void> {
  await checkRealFolders(root, folder)
  await mkdir(folder, { recursive: true })
  // A link put in place of a folder while mkdir ran would be followed by the next write.
  await checkRealFolders(root, folder)
}

/** Each folder below `root` down to `folder` that exists is a real folder, not a link. */
async function checkRealFolders(root: string, folder: string): Promise<void> {
  const blocker = await firstNotAFolder(root, folder)
  if (blocker) throw new Error(`its folder ${blocker.path} is a link or a file, not a folder`)
}
