// What the engine tells its adapter while it works. Events, not log lines: the action renders them
// into the job log, a command-line program may render them differently.

import type { Failure, PlannedAsset, PulledFile, Shard, StaleAsset, UnityReport } from '../model.js'

type Stage = 'resolving' | 'pulling'

export type RunEvent =
  /** A stage begins; the previous one, if any, has ended. */
  | { kind: 'stage-started'; stage: Stage; files?: number }
  | { kind: 'stage-ended' }
  /** `unmatched`: the tags no entry has, though others selected some. */
  | { kind: 'tags-selected'; tags: readonly string[]; entries: number; unmatched: string[] }
  | { kind: 'planned'; asset: PlannedAsset }
  | { kind: 'plan-ready'; files: number; conversions: number }
  | { kind: 'shard-selected'; shard: Shard; entries: number }
  | { kind: 'lockfile-ignored'; path: string; reason: string }
  | { kind: 'partials-removed'; count: number }
  /** The lockfile lists the file, and the file on disk is not what it recorded. */
  | { kind: 'stale-on-disk'; asset: PlannedAsset; reason: string }
  | { kind: 'cache-copy-rejected'; asset: PlannedAsset; reason: string }
  | { kind: 'cache-store-failed'; storageId: string; reason: string }
  /** The cache could not keep what the run holds for later runs: once per run at most. */
  | { kind: 'cache-save-failed'; reason: string }
  /** A request failed and is tried again: an asset's transfer, or a metadata query. */
  | {
      kind: 'retrying'
      asset?: PlannedAsset
      attempt: number
      retries: number
      delayMs: number
      reason: string
    }
  | { kind: 'conversion-started'; asset: PlannedAsset; timeoutMs: number }
  /** echo3D answered a conversion with 429: fewer run at once for the rest of the run. */
  | { kind: 'conversions-lowered'; from: number; to: number }
  | { kind: 'conversion-waiting'; asset: PlannedAsset; waitedMs: number }
  | { kind: 'download-progress'; asset: PlannedAsset; percent: number; totalBytes: number }
  | { kind: 'pulled'; asset: PlannedAsset; file: PulledFile }
  | { kind: 'failed'; failure: Failure; asset?: PlannedAsset }
  /** What reading the written models' statistics took, and validating them, each all together. */
  | {
      kind: 'models-inspected'
      models: number
      statisticsMs: number
      validated: number
      validationMs: number
    }
  /** How many files were found up to date: one line, where each has its own `pulled` event. */
  | { kind: 'unchanged-total'; files: number }
  | { kind: 'conversion-ids-unknown'; reason: string }
  /** Nothing is pruned: an asset failed, or these tags selected no entry. */
  | { kind: 'prune-skipped'; unmatchedTags?: readonly string[] }
  | { kind: 'pruned'; path: string }
  | { kind: 'prune-kept'; path: string; reason: string }
  | { kind: 'stale'; stale: StaleAsset }
  | { kind: 'up-to-date'; files: number }
  /** The `.meta` files of a Unity project, and what its packages lack to import the files. */
  | { kind: 'unity-metas'; report: UnityReport }
  /** What the Unity project's packages lack to import the files: a sentence. */
  | { kind: 'unity-import-warning'; text: string }
  /** A Unity project whose Assets folder does not hold the destination: no `.meta` written. */
  | { kind: 'unity-outside-assets'; reason: string }

export type EventSink = (event: RunEvent) => void
