// The lockfile records which server version of each file the repository holds. It is written
// deterministically (sorted, fixed key order, no timestamps), so an unchanged collection rewrites
// it byte for byte and it never causes a commit by itself.

import { createHash } from 'node:crypto'
import { LockfileError } from '../errors.js'
import { clipped } from '../escape.js'
import { formatBytes } from '../quantities.js'
import {
  MAX_TEXTURE_SIZE,
  OPTIMIZE_GEOMETRY,
  OPTIMIZE_TEXTURES,
  TEXTURE_FORMAT_NAME,
  type Content,
  type FileRecord,
  type ModelStats,
  type Optimization
} from '../model.js'
import { hashFile } from './disk.js'
import { isPlainName } from './naming.js'
import { writeWorkspaceText } from './text-file.js'
import { readWorkspaceText, WorkspaceFolders } from './workspace.js'

const LOCKFILE_VERSION = 1

/** Folders below the destination that a record may name: more than any file-name template makes. */
const MAX_DEPTH = 16

/** About 60,000 files' records: a larger lockfile was not written by this action. */
export const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024

const SHA256 = /^[0-9a-f]{64}$/

/** Reads and checks every field; a lockfile that fails any check is not trusted at all. */
export function parseLockfile(text: string, destination: string): FileRecord[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new LockfileError('it is not valid JSON')
  }
  const document = data as { version?: unknown; files?: unknown }
  if (typeof document !== 'object' || document === null || document.version !== LOCKFILE_VERSION) {
    throw new LockfileError(`it is not a version ${LOCKFILE_VERSION} echo3D lockfile`)
  }
  if (!Array.isArray(document.files)) throw new LockfileError('it has no `files` list')
  const seen = new Set<string>()
  return document.files.map((raw: unknown, index) => {
    const file = checkRecord(raw, index, destination)
    if (seen.has(file.path)) throw new LockfileError(`it lists ${quoted(file.path)} twice`)
    seen.add(file.path)
    return file
  })
}

/** A lockfile from a pull request may hold a path of megabytes: its message quotes the start. */
const MAX_QUOTED_PATH_CHARACTERS = 200

function quoted(filePath: string): string {
  return clipped(filePath, MAX_QUOTED_PATH_CHARACTERS)
}

function checkRecord(raw: unknown, index: number, destination: string): FileRecord {
  if (!isRecord(raw)) throw new LockfileError(`entry ${index + 1} is incomplete or malformed`)
  if (!couldHaveWritten(destination, raw.path)) {
    throw new LockfileError(
      `entry ${index + 1} points outside the destination folder: ${quoted(raw.path)}`
    )
  }
  if (raw.model !== undefined && !isModelStats(raw.model)) {
    throw new LockfileError(`entry ${index + 1} has model statistics that are not numbers`)
  }
  if (raw.optimized !== undefined && !isOptimization(raw.optimized)) {
    throw new LockfileError(
      `entry ${index + 1} has an \`optimized\` record that is not a source's size and hash with settings`
    )
  }
  return inRecordOrder(raw)
}

/** Settings this version of the action writes; any other was not written by it. */
function isOptimization(raw: unknown): raw is Optimization {
  const { source, settings } = (raw ?? {}) as Partial<Record<keyof Optimization, unknown>>
  const content = source as Partial<Record<keyof Optimization['source'], unknown>> | undefined
  const given = (settings ?? {}) as Record<string, unknown>
  const isWhole = (value: unknown, min: number, max: number): boolean =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
  return (
    typeof content === 'object' &&
    content !== null &&
    isWhole(content.bytes, 0, Number.MAX_SAFE_INTEGER) &&
    typeof content.sha256 === 'string' &&
    SHA256.test(content.sha256) &&
    (content.model === undefined || isModelStats(content.model)) &&
    (OPTIMIZE_GEOMETRY as readonly unknown[]).includes(given.geometry) &&
    (OPTIMIZE_TEXTURES as readonly unknown[]).includes(given.textures) &&
    isWhole(given.textureSize, 1, MAX_TEXTURE_SIZE) &&
    isWhole(given.textureQuality, 0, 100) &&
    (given.simplify === undefined || isShare(given.simplify))
  )
}

function isShare(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && value < 1
}

/** The record in a fixed key order, so that the same settings write the same bytes. */
function optimizationInOrder({ source, settings }: Optimization): Optimization {
  return {
    source: {
      bytes: source.bytes,
      sha256: source.sha256,
      ...(source.model ? { model: modelInOrder(source.model) } : {})
    },
    settings: {
      geometry: settings.geometry,
      textures: settings.textures,
      textureSize: settings.textureSize,
      textureQuality: settings.textureQuality,
      ...(settings.simplify === undefined ? {} : { simplify: settings.simplify })
    }
  }
}

const COUNT_KEYS = [
  'triangles',
  'vertices',
  'meshes',
  'materials',
  'textures',
  'textureBytes',
  'animations',
  'packedFiles'
] as const satisfies readonly (keyof ModelStats)[]

function isModelStats(raw: unknown): raw is ModelStats {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false
  const stats = raw as Record<string, unknown>
  const isCount = (value: unknown): boolean =>
    value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0)
  const isTuple = (value: unknown, length: number): boolean =>
    value === undefined ||
    (Array.isArray(value) &&
      value.length === length &&
      value.every(item => Number.isFinite(item) && (item as number) >= 0))
  return (
    COUNT_KEYS.every(key => isCount(stats[key])) &&
    isTuple(stats.largestTexture, 2) &&
    isTuple(stats.size, 3) &&
    isNameList(stats.extensions, /^[A-Za-z0-9_]{1,64}$/) &&
    isNameList(stats.textureFormats, TEXTURE_FORMAT_NAME)
  )
}

/** A short list of names that are safe to show as they are. */
function isNameList(value: unknown, name: RegExp): boolean {
  return (
    value === undefined ||
    (Array.isArray(value) &&
      value.length <= 32 &&
      value.every(item => typeof item === 'string' && name.test(item)))
  )
}

/** The order the lockfile writes statistics in, so that the same model writes the same bytes. */
const MODEL_KEY_ORDER: readonly (keyof ModelStats)[] = [
  'triangles',
  'vertices',
  'meshes',
  'materials',
  'textures',
  'largestTexture',
  'textureBytes',
  'textureFormats',
  'animations',
  'size',
  'extensions',
  'packedFiles'
]

/** The statistics in a fixed key order, without keys the action does not write. */
function modelInOrder(stats: ModelStats): ModelStats {
  const entries = MODEL_KEY_ORDER.filter(key => stats[key] !== undefined).map(key => [
    key,
    stats[key]
  ])
  return Object.fromEntries(entries) as ModelStats
}

function isRecord(raw: unknown): raw is FileRecord {
  const file = raw as Partial<Record<keyof FileRecord, unknown>> | null
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.path === 'string' &&
    (file.entry === null || typeof file.entry === 'string') &&
    typeof file.format === 'string' &&
    (file.storageId === null || typeof file.storageId === 'string') &&
    Number.isSafeInteger(file.bytes) &&
    (file.bytes as number) >= 0 &&
    typeof file.sha256 === 'string' &&
    SHA256.test(file.sha256)
  )
}

/**
 * `destination` is workspace-relative too. A recorded path must lie below it, and each of its
 * names below it must be one the action could have written: a name that sanitising would change
 * (`..`, a backslash, a drive letter, a Windows device name, a leading dot as in `.git`) was not.
 */
function couldHaveWritten(destination: string, filePath: string): boolean {
  const prefix = destination === '' ? '' : `${destination}/`
  if (!filePath.startsWith(prefix)) return false
  const names = filePath.slice(prefix.length).split('/')
  if (names.length > MAX_DEPTH) return false
  return names.every(name => name !== '' && isPlainName(name))
}

/**
 * Just the recorded fields, in the file's order: whatever else a record carries (a pulled file's
 * source, say) is left out. The return type makes a field added to FileRecord fail to compile here.
 */
function inRecordOrder(file: FileRecord): FileRecord {
  return {
    path: file.path,
    entry: file.entry,
    format: file.format,
    storageId: file.storageId,
    bytes: file.bytes,
    sha256: file.sha256,
    ...(file.model ? { model: modelInOrder(file.model) } : {}),
    ...(file.optimized ? { optimized: optimizationInOrder(file.optimized) } : {})
  }
}

export function serializeLockfile(files: readonly FileRecord[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const document = { version: LOCKFILE_VERSION, files: sorted.map(inRecordOrder) }
  return `${JSON.stringify(document, null, 2)}\n`
}

/**
 * The lockfile after this run: what was written now, plus what earlier runs recorded and this run
 * left alone, minus what was pruned. Pure.
 */
export function mergeLockfile(
  previous: readonly FileRecord[],
  written: readonly FileRecord[],
  pruned: ReadonlySet<string>
): FileRecord[] {
  const byPath = new Map(
    previous.filter(file => !pruned.has(file.path)).map(file => [file.path, file])
  )
  for (const file of written) byPath.set(file.path, file)
  return [...byPath.values()]
}

/** What an earlier run recorded; `ignored` says why a lockfile that exists was not trusted. */
export interface PreviousLockfile {
  records: FileRecord[]
  ignored?: string
}

/**
 * A missing lockfile is an empty one; a corrupt or oversized one is ignored, so the run pulls in
 * full. One reached through a link is refused (WorkspaceBoundaryError).
 */
export async function readLockfile(
  workspace: string,
  absolutePath: string,
  destination: string
): Promise<PreviousLockfile> {
  try {
    const text = await readText(workspace, absolutePath)
    return { records: text === undefined ? [] : parseLockfile(text, destination) }
  } catch (error) {
    if (!(error instanceof LockfileError)) throw error
    return { records: [], ignored: error.message }
  }
}

/** The file's text, read no further than the lockfile's size limit; undefined when missing. */
function readText(workspace: string, absolutePath: string): Promise<string | undefined> {
  return readWorkspaceText(
    workspace,
    absolutePath,
    MAX_LOCKFILE_BYTES,
    () => new LockfileError(`it is larger than ${formatBytes(MAX_LOCKFILE_BYTES)}`)
  )
}

/** Far longer than reading any lockfile takes: a disk that stalls is not waited on for ever. */
const COMPARE_TIMEOUT_MS = 60_000

/**
 * Written beside itself and renamed into place, like every asset; left untouched when its content
 * would not change, and not created for a run that wrote nothing. The file on disk is compared by
 * its size and hash, read in pieces: a lockfile of thousands of records is not held in memory a
 * second time.
 */
export async function writeLockfile(
  workspace: string,
  absolutePath: string,
  files: readonly FileRecord[]
): Promise<void> {
  const text = serializeLockfile(files)
  const onDisk = await hashFile(new WorkspaceFolders(workspace), absolutePath, {
    maxBytes: Buffer.byteLength(text),
    timeoutMs: COMPARE_TIMEOUT_MS
  }).catch(() => undefined)
  if (onDisk === undefined && files.length === 0) return
  if (onDisk && holds(onDisk, text)) return
  await writeWorkspaceText(workspace, absolutePath, text)
}

function holds(onDisk: Content, text: string): boolean {
  return (
    onDisk.bytes === Buffer.byteLength(text) &&
    onDisk.sha256 === createHash('sha256').update(text).digest('hex')
  )
}
