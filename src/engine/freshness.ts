// Whether a planned file is already up to date on disk, by the lockfile's record of it. Check mode
// reports what is not (`findStaleAssets`; with `verify: content`, also what echo3D serves); a pull
// skips what is. "Up to date" is earned: the lockfile comes from the repository, and so from
// whoever can push to it, so the file must also be a regular file inside the destination whose
// bytes have the format's signature and whose container holds together (a GLB's chunks, a glTF's
// JSON, a USDZ's zip directory), checked on the same read as its hash (see
// docs/lockfile-and-trust.md).

import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage, ExplainedError } from '../errors.js'
import type { FileKind } from '../formats.js'
import type { Content, FileRecord, OptimizeSettings, PlannedAsset, StaleAsset } from '../model.js'
import type { Redactor } from '../secrets.js'
import { mapWithConcurrency } from './concurrency.js'
import { hashFile } from './disk.js'
import { containerCheck, type ContainerCheck } from './models/container.js'
import { Deadline } from './models/deadline.js'
import { readZipDirectory } from './models/usdz.js'
import { optimizationFor, sameSettings } from './optimize/optimize-model.js'
import { SignatureCheck } from './transfer/signature.js'
import type { WorkspaceFolders } from './workspace.js'

/** Up to date (with its size and hash), or why not, and whether a file is there at all. */
export type Freshness = { upToDate: Content } | { stale: string; onDisk: boolean }

/** Where the run's files go, and what vouches for those already there. */
export interface DiskView {
  folders: WorkspaceFolders
  /** Absolute. */
  destination: string
  /** The lockfile's records, by workspace path. */
  locked: ReadonlyMap<string, FileRecord>
  /** How long reading one file may take. */
  timeoutMs: number
  /** Keeps the credentials out of a file's text that a reason quotes. */
  redactor: Redactor
  /** How models are optimised (`optimize`); undefined when they are written as echo3D serves them. */
  optimize?: OptimizeSettings
}

/**
 * Up to date only when the lockfile, the file on disk (size, hash and format) and the storage ID
 * agree.
 */
export async function compareWithLockfile(asset: PlannedAsset, view: DiskView): Promise<Freshness> {
  if (asset.method.kind === 'convert') {
    return { stale: `echo3D has no ${asset.format} file yet: it needs a conversion`, onDisk: false }
  }
  const locked = view.locked.get(asset.path)
  if (!locked) return { stale: 'not pulled yet: the lockfile does not list it', onDisk: false }
  if (locked.storageId !== asset.method.storageId) {
    return { stale: 'echo3D has a newer version (its storage ID changed)', onDisk: false }
  }
  const settings = optimizationFor(asset, view.optimize)?.settings
  if (!sameSettings(locked.optimized?.settings, settings)) {
    const stale = settings ? 'the `optimize` settings changed' : '`optimize` is off now'
    return { stale, onDisk: true }
  }
  return compareOnDisk(asset, locked, view)
}

async function compareOnDisk(
  asset: PlannedAsset,
  locked: FileRecord,
  view: DiskView
): Promise<Freshness> {
  const filePath = path.join(view.destination, asset.relativePath)
  let read: RecordedRead
  try {
    read = await readAgainstRecord(filePath, locked, asset.expect, view)
  } catch (error) {
    if (!(error instanceof ExplainedError)) throw error
    return { stale: `the file on disk cannot be checked: ${error.message}`, onDisk: true }
  }
  if (read === 'missing') return { stale: 'missing on disk', onDisk: false }
  if (read === 'differs')
    return { stale: 'the file on disk differs from the lockfile', onDisk: true }
  return read.problem ? { stale: read.problem, onDisk: true } : { upToDate: read.onDisk }
}

/** A file read against its record: gone, other bytes, or the record's bytes and any format problem. */
export type RecordedRead = 'missing' | 'differs' | { onDisk: Content; problem?: string }

/**
 * The file's size and hash, read no further than its record allows, and, when they are the
 * record's, whether its bytes are the format `kind`, from signature to container. The one reading
 * of a file that a lockfile vouches for, to keep it or to delete it.
 */
export async function readAgainstRecord(
  filePath: string,
  record: FileRecord,
  kind: FileKind | undefined,
  view: Pick<DiskView, 'folders' | 'redactor' | 'timeoutMs'>
): Promise<RecordedRead> {
  const checks = new FormatChecks(kind, record, view)
  const onDisk = await hashFile(view.folders, filePath, {
    maxBytes: record.bytes,
    timeoutMs: view.timeoutMs,
    onChunk: chunk => checks.update(chunk),
    whenRead: (file, content) => checks.whenRead(file, content)
  })
  if (!onDisk) return 'missing'
  if (!isRecorded(onDisk, record)) return 'differs'
  return { onDisk, problem: checks.problem() }
}

function isRecorded(onDisk: Content, locked: FileRecord): boolean {
  return onDisk.bytes === locked.bytes && onDisk.sha256 === locked.sha256
}

/**
 * The lockfile may have been written to match a forged file: its bytes must still be the format,
 * from its signature to its container, which a few forged bytes in front of anything are not.
 */
class FormatChecks {
  private readonly signature: SignatureCheck
  private readonly container: ContainerCheck
  private readonly deadline: Deadline
  private zipProblem: ExplainedError | undefined

  constructor(
    private readonly expect: FileKind | undefined,
    private readonly locked: FileRecord,
    view: Pick<DiskView, 'redactor' | 'timeoutMs'>
  ) {
    this.signature = new SignatureCheck(expect, view.redactor)
    this.container = containerCheck(expect)
    this.deadline = Deadline.after(view.timeoutMs)
  }

  update(chunk: Buffer): void {
    this.signature.update(chunk)
    this.container.update(chunk)
  }

  /** A USDZ's zip directory, read only when the rest matches the record. */
  async whenRead(file: FileHandle, content: Content): Promise<void> {
    if (this.expect !== 'usdz' || !isRecorded(content, this.locked)) return
    try {
      await readZipDirectory(file, this.deadline)
    } catch (error) {
      if (!(error instanceof ExplainedError)) throw error
      this.zipProblem = error
    }
  }

  /** Why the bytes are not the format; undefined when they are. */
  problem(): string | undefined {
    try {
      this.signature.finish()
    } catch (error) {
      return `the file on disk fails its format check: ${errorMessage(error)}`
    }
    const structure = this.zipProblem ?? explainedFailure(() => this.container.finish())
    return structure && `the file on disk fails its structure check: ${structure.message}`
  }
}

function explainedFailure(check: () => void): ExplainedError | undefined {
  try {
    check()
    return undefined
  } catch (error) {
    if (error instanceof ExplainedError) return error
    throw error
  }
}

export function byPath(records: readonly FileRecord[]): Map<string, FileRecord> {
  return new Map(records.map(record => [record.path, record]))
}

/**
 * The size and hash the lockfile records for each storage ID (an optimised file's source). Records that disagree about one
 * storage ID vouch for none of its bytes: it maps to undefined.
 */
export function contentByStorageId(
  records: readonly FileRecord[]
): Map<string, Content | undefined> {
  const recorded = new Map<string, Content | undefined>()
  for (const record of records) {
    const { storageId } = record
    if (storageId === null) continue
    // An optimised file was made from echo3D's bytes: those are what the storage ID holds.
    const { bytes, sha256 } = record.optimized?.source ?? record
    const earlier = recorded.get(storageId)
    const agrees =
      !recorded.has(storageId) || (earlier?.bytes === bytes && earlier.sha256 === sha256)
    recorded.set(storageId, agrees ? { bytes, sha256 } : undefined)
  }
  return recorded
}

/** Why a file that the lockfile vouches for is still stale; undefined when it is not. */
export type ServedComparison = (asset: PlannedAsset, onDisk: Content) => Promise<string | undefined>

export async function findStaleAssets(
  assets: readonly PlannedAsset[],
  view: DiskView,
  concurrency: number,
  compareServed?: ServedComparison
): Promise<StaleAsset[]> {
  const verdicts = await mapWithConcurrency(assets, concurrency, async asset => {
    const freshness = await compareWithLockfile(asset, view)
    const reason =
      'stale' in freshness ? freshness.stale : await compareServed?.(asset, freshness.upToDate)
    if (reason === undefined) return undefined
    return { path: asset.path, entry: asset.entryId, format: asset.format, reason }
  })
  return verdicts.filter(verdict => verdict !== undefined)
}
