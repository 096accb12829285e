// The cache port. The engine looks files up by storage ID before it downloads them, and offers
// every file it downloaded; the adapter decides where the cache lives (see docs/decisions/0003).

import type { Content } from '../model.js'

export interface CachedFile extends Content {
  path: string
}

export interface AssetCache {
  /** A copy of the storage ID's file, with the size and hash it was stored with. */
  find(storageId: string): Promise<CachedFile | undefined>
  /** Offers the file at `filePath`, whose bytes are the storage ID's, to the cache. */
  store(storageId: string, filePath: string, content: Content): Promise<void>
}

export const NO_CACHE: AssetCache = {
  find: () => Promise.resolve(undefined),
  store: () => Promise.resolve()
}
