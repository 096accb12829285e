// What the engine asks of the program that runs it: where its events go, a cache, what keeps the
// credentials out of a server's quoted words, and the time. The action and the command-line
// program each pass their own; the engine's tests pass a clock whose waits cost no real time.

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
 * Files by storage ID. The engine looks a file up before it downloads it, and offers every file
 * it downloaded; the adapter decides where the cache lives (see docs/decisions/0003).
 */
export interface AssetCache {
  /** A copy of the storage ID's file, with the size and hash it was stored with. */
  find(storageId: string): Promise<CachedFile | undefined>
  /** Offers the file at `filePath`, whose bytes are the storage ID's, to the cache. */
  store(storageId: string, filePath: string, content: Content): Promise<void>
}

export interface CachedFile extends Content {
  path: string
}

export const NO_CACHE: AssetCache = {
  find: () => Promise.resolve(undefined),
  store: () => Promise.resolve()
}
