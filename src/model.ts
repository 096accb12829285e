// The run's data, defined once. The engine produces it; the lockfile, the outputs, the job summary,
// check mode, prune and delivery consume it, or views of it made with Pick. Types only: no code.

import type { AssetFormat, FileKind, RequestedFormat } from './formats.js'

/** The echo3D credentials. Every one of them is secret, the email included. */
export interface Credentials {
  apiKey: string
  email: string
  userKey: string
  /** Empty unless the collection has secured API calls turned on. */
  secretKey: string
}

export interface EntrySelection {
  id: string
  /** Empty means the selection's default formats apply. */
  formats: RequestedFormat[]
  /** This entry's own file-name template, from the configuration file. */
  fileName?: string
  /** This entry's own `optimize`, from the configuration file: `false` turns it off for the entry. */
  optimize?: OptimizeSettings | false
}

/** What the user asked for. */
export interface Selection {
  entries: EntrySelection[]
  /** Every entry with any of these tags, in the default formats. */
  tags: string[]
  /** Storage IDs, fetched as they are. */
  files: string[]
  defaultFormats: RequestedFormat[]
}

/**
 * What vouches for a file already on disk: `lockfile` (its record, size, hash and format) or
 * `content` (what echo3D serves for it, downloaded again), for workspaces that may not be trusted.
 */
export type Verification = 'lockfile' | 'content'

/** One part of a selection split over the jobs of a matrix: `index` of `count`, from 1. */
export interface Shard {
  index: number
  count: number
}

type FetchMethod =
  { kind: 'storage'; storageId: string } | { kind: 'convert'; entryId: string; format: AssetFormat }

/** One file to fetch, with the cheapest correct way to get it. */
export interface PlannedAsset {
  /** How messages name this asset. */
  label: string
  entryId: string | null
  /** The format as outputs and the lockfile name it: an extension, or 'original' or 'file'. */
  format: string
  /** The kind whose signature the bytes must have; undefined for files of unknown type. */
  expect?: FileKind
  method: FetchMethod
  /** Relative to the destination folder, with `/` separators. */
  relativePath: string
  /** Relative to the workspace, with `/` separators: how records name the file. */
  path: string
  /** The upload's size: exact for the original, a guess for a format derived from it. */
  approximateBytes?: number
  /** The entry's own `optimize`, which stands in for the run's; `false`: not optimised. */
  optimize?: OptimizeSettings | false
}

/** Something the user asked for that could not be had, and why. */
export interface Failure {
  label: string
  message: string
}

export interface Plan {
  assets: PlannedAsset[]
  failures: Failure[]
  /** Tags that selected no entry, mistyped perhaps: the selection is not known for sure. */
  unmatchedTags?: string[]
}

/** The size and SHA-256 of some bytes. */
export interface Content {
  bytes: number
  sha256: string
}

/**
 * What a reviewer needs to judge a 3D model, read from its structure without loading its geometry.
 * A format gives what it can; a field it cannot give is absent.
 */
export interface ModelStats {
  /** As drawn: each mesh counted once per node that places it in the scene. */
  triangles?: number
  vertices?: number
  meshes?: number
  materials?: number
  textures?: number
  /** The texture with the most pixels: width and height. */
  largestTexture?: [number, number]
  /** The textures' encoded bytes, all together. */
  textureBytes?: number
  /** The textures' image formats, as their headers say (`png`, `jpeg`, `webp`, `ktx`…), sorted. */
  textureFormats?: string[]
  animations?: number
  /** The bounding box's width, height and depth, in metres (glTF's unit). */
  size?: [number, number, number]
  /** glTF extensions used, such as KHR_draco_mesh_compression or KHR_texture_basisu. */
  extensions?: string[]
  /** USDZ: the files it packs. */
  packedFiles?: number
}

/** How a texture format is named in the statistics, by the writer and the lockfile's reader alike. */
export const TEXTURE_FORMAT_NAME = /^[a-z0-9]{1,8}$/

/** What a budget can limit, per model. */
export const BUDGET_LIMITS = [
  'file-size',
  'triangles',
  'vertices',
  'textures',
  'texture-size',
  'texture-bytes',
  'bounding-box'
] as const
export type BudgetLimit = (typeof BUDGET_LIMITS)[number]

/** One limit, for every model or for one format's. */
export interface Budget {
  limit: BudgetLimit
  /** Bytes, a count, pixels (the largest texture's longer side) or metres (the box's longest side). */
  max: number
  /** Undefined: every format. A format's own budget wins over the global one for that limit. */
  format?: string
}

/** A model over one of its limits. */
export interface BudgetBreach {
  path: string
  format: string
  limit: BudgetLimit
  max: number
  actual: number
}

/** `previews`: none, pictures where they can be made, or a failed step where one cannot. */
export const PREVIEW_MODES = ['false', 'true', 'required'] as const
export type PreviewMode = (typeof PREVIEW_MODES)[number]

/** One model's pictures: before (the version replaced or removed) and after (the file written). */
export interface PreviewItem {
  /** The model's path in the workspace. */
  path: string
  /** Bytes and triangles, before → after, in words. */
  change: string
  /** The pictures' files, in a folder under RUNNER_TEMP. */
  before?: string
  after?: string
  /** A USDZ file is drawn through its entry's GLB or glTF: that file's path. */
  drawnFrom?: string
  /** Why there is no picture where none is expected: a USDZ file with no GLB beside it. */
  note?: string
  /** Why a picture is missing, in words. */
  problems: string[]
}

/** The run's pictures, as `previews` made them. */
export interface Previews {
  items: PreviewItem[]
  /** The folder of the pictures' files. */
  folder?: string
  /** Why no picture was made at all, when none could be. */
  unavailable?: string
}

/** One model's pictures as the pull request and the summary link them: committed, at pinned URLs. */
export interface LinkedPreview extends PreviewItem {
  beforeUrl?: string
  afterUrl?: string
}

/** The formats `optimize` applies to; the others are written as echo3D serves them. */
export type OptimizableKind = 'glb' | 'gltf'

/** The values of each optimisation setting: the input's parser and the lockfile's reader agree. */
export const OPTIMIZE_GEOMETRY = ['meshopt', 'draco', 'quantize', 'none'] as const
export const OPTIMIZE_TEXTURES = ['webp', 'avif', 'keep'] as const
export const MAX_TEXTURE_SIZE = 16_384

/**
 * How a GLB is optimised for the web (the `optimize` input): geometry compressed, textures
 * re-encoded and scaled down. Settings decide the bytes: the lockfile records them.
 */
export interface OptimizeSettings {
  /**
   * `meshopt`: EXT_meshopt_compression; `draco`: KHR_draco_mesh_compression; `quantize`:
   * KHR_mesh_quantization; `none`: as it is.
   */
  geometry: (typeof OPTIMIZE_GEOMETRY)[number]
  /**
   * `webp` or `avif`: PNG and JPEG textures re-encoded (EXT_texture_webp, EXT_texture_avif);
   * `keep`: untouched.
   */
  textures: (typeof OPTIMIZE_TEXTURES)[number]
  /** The longest side of a re-encoded texture, in pixels; a smaller one is never enlarged. */
  textureSize: number
  /** The encoder's quality, from 0 to 100, on its own scale. */
  textureQuality: number
  /**
   * The share of each mesh's triangles to keep, above 0 and below 1, when a team accepts fewer;
   * absent, every triangle is kept.
   */
  simplify?: number
}

/** A file written optimised: what echo3D served, and the settings that made the file from it. */
export interface Optimization {
  /**
   * echo3D's file, as it was downloaded (the cache holds these bytes for the storage ID), and what
   * it held: the "before" of the optimisation.
   */
  source: Content & { model?: ModelStats }
  settings: OptimizeSettings
}

/** A file the action is responsible for, as the lockfile records it. */
export interface FileRecord extends Content {
  /** Relative to the workspace, with `/` separators. */
  path: string
  /** The entry's ID; null for a file fetched by storage ID. */
  entry: string | null
  format: string
  /** The server's version of the file: a storage ID's bytes never change. */
  storageId: string | null
  /** For a 3D model: what it holds, so that the next run has the "before" of a change. */
  model?: ModelStats
  /** The file is an optimised model; its size and hash above are the written file's. */
  optimized?: Optimization
}

/** Where a file came from in this run. */
export type FileSource = 'download' | 'conversion' | 'cache' | 'unchanged'

/** What the Khronos glTF Validator said of a file that it accepted. */
export interface Validation {
  /** Its warnings, the first few. */
  warnings: string[]
  /** Why the file was not validated (too large), if it was not. */
  skipped?: string
}

/** A file this run wrote, or found already up to date. */
export interface PulledFile extends FileRecord {
  source: FileSource
  durationMs: number
  /** The recorded version this pull replaced, for the review of what changed. */
  before?: Pick<FileRecord, 'bytes' | 'model'>
  /** glTF and GLB files checked by the validator in this run. */
  validation?: Validation
}

/** `mode: check`: a selected file that is missing or stale, or a Unity `.meta` missing, and why. */
export interface StaleAsset extends Pick<FileRecord, 'path' | 'entry' | 'format'> {
  reason: string
}

/** The format of a stale item that is a missing Unity `.meta`, not a selected file. */
export const MISSING_META_FORMAT = 'meta'

/** What a pull did. Files keep the order the user asked in. */
export interface PullReport {
  files: PulledFile[]
  failures: Failure[]
  /** The lockfile's records of the files that prune deleted, sorted by path. */
  pruned: FileRecord[]
  /** What the run changed of its own accord and a reader should know, in a sentence each. */
  notes: string[]
  /** Every selected model over a budget, each limit it breaks once. */
  overBudget: BudgetBreach[]
  /** In a Unity project, with the destination under its `Assets/`. */
  unity?: UnityReport
}

/** `unity-project`: look for a Unity project in the workspace, none, or this folder (absolute). */
export type UnityProjectSetting =
  { kind: 'auto' } | { kind: 'off' } | { kind: 'at'; folder: string }

/** A `.meta` file beside a file or folder under `Assets/`, as the run found or left it. */
export interface MetaFile {
  /** The `.meta` file, relative to the workspace, with `/` separators. */
  path: string
  /** Its GUID; undefined for a `.meta` kept that holds none the action could read. */
  guid?: string
  /** A `.meta` that came along with its model, from the model's earlier path. */
  movedFrom?: string
}

/** What a run did for a Unity project: the `.meta` files, and what Unity needs to import. */
export interface UnityReport {
  /** The project's folder, relative to the workspace ('' for the workspace itself). */
  project: string
  /** Written for files and folders that had none, or moved along with their model. */
  written: MetaFile[]
  /** There already (Unity's, or an earlier run's): never rewritten. */
  kept: MetaFile[]
  /** Deleted with their pruned model, or with a folder that prune emptied. */
  removed: string[]
  /** What the project's packages lack to import the files, in a sentence each: warnings. */
  importWarnings: string[]
}

/** What a check found. */
export interface CheckReport {
  /** How many files the selection holds. */
  selected: number
  stale: StaleAsset[]
  failures: Failure[]
  /** Selected models the lockfile records over a budget. */
  overBudget: BudgetBreach[]
}

/** A standalone prune: what it removed, or with a dry run what it would remove. */
export interface PruneReport {
  /** The lockfile's records of the files no longer selected, sorted by path. */
  candidates: FileRecord[]
  /** Those deleted; empty on a dry run. */
  pruned: FileRecord[]
  /** Candidates left in place (on a dry run, those that would be), and why. */
  kept: { path: string; reason: string }[]
  /** Candidates already gone from the disk: only their records go (on a dry run, would go). */
  alreadyGone: string[]
  /** Parts of the selection that could not be resolved: nothing is pruned then. */
  failures: Failure[]
  /** Tags that selected no entry: nothing is pruned then either. */
  unmatchedTags?: string[]
  /** In a Unity project: the `.meta` files removed with the files. */
  unity?: UnityReport
  /** A dry run in a Unity project: the `.meta` files that would go with the candidates. */
  candidateMetas?: string[]
}

/** An entry of the collection, as a listing shows it to someone choosing what to select. */
export interface CatalogEntry {
  id: string
  /** The upload's file name. */
  name: string
  tags: string[]
  /** The formats echo3D holds the entry in, without a conversion. */
  formats: AssetFormat[]
  /** The upload's size, when echo3D gives it; echo3D gives none for the derived formats. */
  uploadBytes?: number
}

/** A file as delivery sees it: one to commit or upload, or one to delete (pruned). */
export interface DeliveredFile extends Pick<
  FileRecord,
  'path' | 'entry' | 'format' | 'bytes' | 'model' | 'optimized'
> {
  absolutePath: string
  /** The file was pruned: the commit removes it. */
  deleted?: boolean
}

export interface PullRequestResult {
  number: number
  url: string
  created: boolean
}

export interface ArtifactResult {
  name: string
  id: number
  url: string
  bytes: number
  /** The SHA-256 of the uploaded archive, as the artifact service records it. */
  digest?: string
}

/** What delivery did. */
export interface DeliveryOutcome {
  /** Undefined when nothing was to be committed. */
  changed?: boolean
  branch?: string
  changedFiles: DeliveredFile[]
  commitSha?: string
  /** Why a commit asked of the API went through git: more files than the API takes in an hour. */
  gitInsteadOfApi?: string
  pullRequest?: PullRequestResult
  /** An open pull request that had nothing left to propose. */
  closedPullRequest?: number
  artifact?: ArtifactResult
  /** The pictures, committed to the previews branch. */
  previews?: LinkedPreview[]
  /** The artifact of the pictures, beside the files' own. */
  previewsArtifact?: ArtifactResult
  /** Why pictures that were drawn could not be committed or uploaded. */
  previewsProblem?: string
}

/** Delivery as the summary and outputs see it: not wanted, done, skipped, or failed. */
export type DeliveryReport =
  | { kind: 'none' }
  | { kind: 'done'; outcome: DeliveryOutcome }
  | { kind: 'skipped'; reason: string }
  /** The error's message says what to change. */
  | { kind: 'failed'; error: Error }
