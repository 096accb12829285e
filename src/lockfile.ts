import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from './report/log.js'
import type { FileRecord } from './report/summary.js'
import { newPartialPath, settled } from './transfer/partials.js'

/**
 * The lockfile records which server version of each file the repository holds. It is written
 * deterministically (sorted, fixed key order, no timestamps), so an unchanged collection rewrites
 * it byte for byte and it never causes a commit by itself.
 */
export const LOCKFILE_VERSION = 1

export interface LockedFile {
  /** Relative to the workspace, with `/` separators. */
  path: string
  entry: string | null
  format: string
  /** The server's version of the file: a storage ID's bytes never change. */
  storageId: string | null
  bytes: number
  sha256: string
}

export class LockfileError extends Error {
  override readonly name = 'LockfileError'
}

const SHA256 = /^[0-9a-f]{64}$/

/** Reads and checks every field; a lockfile that fails any check is not trusted at all. */
export function parseLockfile(text: string, destination: string): LockedFile[] {
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
  return document.files.map((raw, index) => {
    const file = checkEntry(raw, index, destination)
    if (seen.has(file.path)) throw new LockfileError(`it lists ${file.path} twice`)
    seen.add(file.path)
    return file
  })
}

function checkEntry(raw: unknown, index: number, destination: string): LockedFile {
  const file = raw as Partial<LockedFile>
  const valid =
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
  if (!valid) throw new LockfileError(`entry ${index + 1} is incomplete or malformed`)
  if (!isInside(destination, file.path as string)) {
    throw new LockfileError(
      `entry ${index + 1} points outside the destination folder: ${String(file.path)}`
    )
  }
  return {
    path: file.path as string,
    entry: file.entry as string | null,
    format: file.format as string,
    storageId: file.storageId as string | null,
    bytes: file.bytes as number,
    sha256: file.sha256 as string
  }
}

/** `destination` is workspace-relative too; a locked path must lie below it. */
function isInside(destination: string, filePath: string): boolean {
  const normalized = path.posix.normalize(filePath)
  if (normalized !== filePath || path.posix.isAbsolute(filePath) || filePath.startsWith('..'))
    return false
  return destination === '' || filePath.startsWith(`${destination}/`)
}

/** What the lockfile records of the files a run wrote. */
export function lockedFilesOf(records: readonly FileRecord[]): LockedFile[] {
  return records.map(record => ({
    path: record.path,
    entry: record.entry,
    format: record.format,
    storageId: record.storageId,
    bytes: record.bytes,
    sha256: record.sha256
  }))
}

export function serializeLockfile(files: readonly LockedFile[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const ordered = sorted.map(file => ({
    path: file.path,
    entry: file.entry,
    format: file.format,
    storageId: file.storageId,
    bytes: file.bytes,
    sha256: file.sha256
  }))
  return `${JSON.stringify({ version: LOCKFILE_VERSION, files: ordered }, null, 2)}\n`
}

/**
 * The lockfile after this run: what was written now, plus what earlier runs recorded and this run
 * left alone, minus what was pruned. Pure.
 */
export function mergeLockfile(
  previous: readonly LockedFile[],
  written: readonly LockedFile[],
  pruned: ReadonlySet<string>
): LockedFile[] {
  const byPath = new Map(
    previous.filter(file => !pruned.has(file.path)).map(file => [file.path, file])
  )
  for (const file of written) byPath.set(file.path, file)
  return [...byPath.values()]
}

/** A missing lockfile is an empty one; a corrupt one is reported and ignored: the run pulls in full. */
export async function readLockfile(
  absolutePath: string,
  destination: string,
  displayPath: string,
  log: Logger
): Promise<LockedFile[]> {
  let text: string
  try {
    text = await readFile(absolutePath, 'utf8')
  } catch {
    return []
  }
  try {
    return parseLockfile(text, destination)
  } catch (error) {
    log.warning(
      `The lockfile ${displayPath} is corrupt or was edited by hand (${(error as Error).message}). It is ignored: every file is pulled again, and the lockfile is rewritten`
    )
    return []
  }
}

/**
 * Written beside itself and renamed into place, like every asset; left untouched when its content
 * would not change, and not created for a run that wrote nothing.
 */
export async function writeLockfile(
  absolutePath: string,
  files: readonly LockedFile[]
): Promise<void> {
  const text = serializeLockfile(files)
  const existing = await readFile(absolutePath, 'utf8').catch(() => undefined)
  if (existing === text || (existing === undefined && files.length === 0)) return
  await mkdir(path.dirname(absolutePath), { recursive: true })
  const temporary = newPartialPath(path.dirname(absolutePath))
  try {
    await writeFile(temporary, text)
    await rename(temporary, absolutePath)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  } finally {
    settled(temporary)
  }
}
