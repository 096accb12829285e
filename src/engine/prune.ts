// Deleting what earlier runs wrote and the current selection no longer includes. Only files the
// lockfile records are candidates, and only regular files reached through real folders inside the
// workspace are deleted; nothing else in the folder is ever touched.

import { unlink } from 'node:fs/promises'
import path from 'node:path'
import { ExplainedError, VerificationError } from '../errors.js'
import { kindOfFileName, parseRequestedFormat, type FileKind } from '../formats.js'
import type { FileRecord } from '../model.js'
import type { Redactor } from '../secrets.js'
import { readAgainstRecord } from './freshness.js'
import { sameFileKey } from './naming.js'
import type { WorkspaceFolders } from './workspace.js'

/**
 * What earlier runs wrote and the current selection no longer includes. Paths are compared as
 * macOS and Windows compare them, without case and in one Unicode form: there `Robot.glb` and
 * `robot.glb` are one file, and pruning the old name would delete the file just pulled. Pure.
 */
export function pruneCandidates(
  previous: readonly FileRecord[],
  selectedPaths: ReadonlySet<string>
): FileRecord[] {
  const selected = new Set([...selectedPaths].map(sameFileKey))
  return previous.filter(file => !selected.has(sameFileKey(file.path)))
}

/** What prune does with a candidate, or on a dry run would do. */
export type PruneVerdict =
  | { kind: 'deletable' }
  | { kind: 'already-gone' }
  /** Left in place: someone changed the file since, or it is not a file the action could delete. */
  | { kind: 'kept'; reason: string }

export interface PruneScope {
  folders: WorkspaceFolders
  timeoutMs: number
  redactor: Redactor
}

/**
 * A candidate may be deleted only when it is still, byte for byte, the file the lockfile records,
 * and its bytes are the recorded format, from signature to container: a lockfile from a pull
 * request may name any file beside the models, with its hash, and must not be able to delete it.
 * A file whose format the action cannot check from its bytes is never deleted; once it is gone,
 * its record goes.
 */
export async function judgeCandidate(file: FileRecord, scope: PruneScope): Promise<PruneVerdict> {
  const kind = recordedKind(file)
  try {
    const read = await readAgainstRecord(candidatePath(file, scope), file, kind, scope)
    if (read === 'missing') return { kind: 'already-gone' }
    if (!kind) return { kind: 'kept', reason: UNCHECKABLE }
    if (read === 'differs') return { kind: 'kept', reason: 'it changed since the action wrote it' }
    return read.problem ? notTheRecordedFormat(kind) : { kind: 'deletable' }
  } catch (error) {
    if (error instanceof VerificationError && kind) return notTheRecordedFormat(kind)
    if (!(error instanceof ExplainedError)) throw error
    return { kind: 'kept', reason: error.message }
  }
}

/** What prune did with a candidate. */
export type PruneOutcome = Exclude<PruneVerdict, { kind: 'deletable' }> | { kind: 'deleted' }

/** The candidate deleted when judgeCandidate allows it. */
export async function pruneFile(file: FileRecord, scope: PruneScope): Promise<PruneOutcome> {
  const verdict = await judgeCandidate(file, scope)
  if (verdict.kind !== 'deletable') return verdict
  await unlink(candidatePath(file, scope))
  return { kind: 'deleted' }
}

function candidatePath(file: FileRecord, scope: PruneScope): string {
  return path.join(scope.folders.workspace, file.path)
}

const UNCHECKABLE =
  'the action cannot tell from its bytes that it wrote it (not a format it checks); delete it by hand if it is no longer needed'

/** The format the record names, as an extension, or else the one the file's name says. */
function recordedKind(file: FileRecord): FileKind | undefined {
  const format = parseRequestedFormat(file.format)
  if (format && format !== 'original') return format
  return kindOfFileName(`file.${file.format}`) ?? kindOfFileName(file.path)
}

function notTheRecordedFormat(kind: FileKind): PruneVerdict {
  return { kind: 'kept', reason: `it is not a ${kind.toUpperCase()} file, as the lockfile records` }
}
