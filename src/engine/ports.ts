// What the engine asks of the program that runs it: where its events go, a cache, what keeps the
// credentials out of a server's quoted words, and the time. The action and the command-line
// program each pass their own; the engine's tests pass a clock whose waits cost no real time.

import type { Writable } from 'node:stream'
import type { Content, PlannedAsset } from '../model.js'
import type { Redactor } from '../secrets.js'
import type { EventSink } from './events.js'

export interface EnginePorts {
  emit: EventSink
  cache: AssetCache
  /** Made by the adapter from every credential it knows, the proxy's included. */
  redactor: Redactor
  clock: Clock
  /** Bytes received per asset, chunk by chunk, for an adapter that shows transfers live. */
  onBytes?: ByteProgress
}

/** Bytes of an asset's body received so far, and its length when the server sent one. */
export type ByteProgress = (asset: PlannedAsset, bytesSoFar: number, totalBytes?: number) => void

/** Time for retries, back-off and deadlines. Timeouts of the network and the disk are real. */
export interface Clock {
  now(): number
  sleep(milliseconds: number): Promise<void>
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: milliseconds => new Promise(resolve => setTimeout(resolve, milliseconds))
}

/**
 * Files by their SHA-256. Before it downloads a stored file, the engine asks for the bytes that the
 * lockfile records for its storage ID; it offers every file it downloaded; and when the pull is
 * over it says which files the run holds, so that the cache keeps those and saves itself. The
 * adapter decides where the cache lives (see docs/decisions/0014).
 */
export interface AssetCache {
  /** Where the cache holds bytes of this size and hash, if it does: a claim the engine checks. */
  find(content: Content): Promise<CachedFile | undefined>
  /**
   * What the cache's own index says a storage ID holds, asked only where the lockfile has no
   * record of it. Only a cache that GitHub scopes to the repository has one: anyone who can run a
   * job on a self-hosted runner can write its tool cache, so there only the lockfile names bytes.
   */
  vouchFor?(storageId: string): Promise<Content | undefined>
  /** Offers the file at `filePath`, whose bytes are the storage ID's, to the cache. */
  store(storageId: string, filePath: string, content: Content): Promise<void>
  /**
   * A new file of the cache's that a download is written into as it arrives, where the cache
   * must hold a copy rather than a link: the copy then costs no time after the download. It takes
   * the place of `store` for that download. Undefined when the cache takes a file only by `store`.
   */
  receive?(): Promise<CacheCopy | undefined>
  /** The pull is over and holds these files: the cache may forget others, and saves itself. */
  finish(held: readonly HeldFile[]): Promise<void>
}

/** A download's copy on its way into the cache. */
export interface CacheCopy {
  /** Takes the body's bytes as they arrive; the engine ends it, or destroys it if it drops it. */
  readonly file: Writable
  /** The file's temporary path, which the engine removes if the run is cancelled. */
  readonly path: string
  /** The download was verified and put in place: the cache keeps the copy, if it is whole. */
  keep(content: Content): Promise<void>
  /** The download failed, or the copy was dropped: the cache removes it. */
  discard(): Promise<void>
}

/** A file the cache holds: a regular file below `store`, reached through real folders only. */
export interface CachedFile {
  /** A folder the cache owns; nothing below it may be a link. */
  store: string
  path: string
}

/** A file a pull holds, by the storage ID it came from. */
export interface HeldFile extends Content {
  storageId: string
}

export const NO_CACHE: AssetCache = {
  find: () => Promise.resolve(undefined),
  store: () => Promise.resolve(),
  finish: () => Promise.resolve()
}
