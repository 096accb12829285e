// Unity projects: found before anything is pulled, so that a wrong `unity-project` fails first;
// after the run, the `.meta` files and what the project needs to import the files.

import { lstat } from 'node:fs/promises'
import {
  MISSING_META_FORMAT,
  type FileRecord,
  type StaleAsset,
  type UnityProjectSetting,
  type UnityReport
} from '../../model.js'
import type { EventSink } from '../events.js'
import { workspaceRelative } from '../naming.js'
import { findMissingMetas, metasPruneWouldTake, syncMetas, type MetaScope } from './metas.js'
import { importWarnings, projectPackages } from './packages.js'
import { findUnityProject, type UnityLookup, type UnityProject } from './project.js'

export type { UnityLookup } from './project.js'

export interface UnityPlace {
  workspace: string
  destination: string
  /** Absolute; undefined for none. */
  lockfile?: string
  unityProject?: UnityProjectSetting
}

export function lookUpUnityProject(place: UnityPlace): Promise<UnityLookup> {
  return findUnityProject(
    place.workspace,
    place.destination,
    place.unityProject ?? { kind: 'auto' }
  )
}

type RunFile = Pick<FileRecord, 'path' | 'entry' | 'format' | 'model'>

/** What a run did to the files, as the `.meta` files follow it. */
export interface UnityRun {
  /** The files this run wrote: what Unity needs is said of them. */
  arrived: readonly RunFile[]
  /** Every file the action is responsible for after the run: each gets its `.meta`. */
  files: readonly RunFile[]
  /** What prune removed, and those of them proven the recorded file when deleted. */
  pruned: readonly RunFile[]
  deleted: readonly RunFile[]
  /** The lockfile's records before the run, every shard's: their GUIDs are taken. */
  previous: readonly RunFile[]
}

/**
 * The `.meta` files for the run's files and the lockfile, and for what prune removed; the import
 * warnings for the files that arrived. Undefined outside a Unity project.
 */
export async function finishUnityProject(
  lookup: UnityLookup,
  place: UnityPlace,
  run: UnityRun,
  emit: EventSink
): Promise<UnityReport | undefined> {
  if (lookup.kind === 'none') return undefined
  if (lookup.kind === 'outside-assets') {
    emit({ kind: 'unity-outside-assets', reason: lookup.reason })
    return undefined
  }
  const { project } = lookup
  const { workspace } = place
  const scope = scopeOf(project, place)
  const files = [...run.files, ...(await lockfileRecord(place))]
  const changes = await syncMetas(scope, { ...run, files })
  const packages = await projectPackages(workspace, project)
  const report: UnityReport = {
    project: workspaceRelative(workspace, project.root),
    ...changes,
    importWarnings: importWarnings(packages, run.arrived)
  }
  emit({ kind: 'unity-metas', report })
  for (const text of report.importWarnings) emit({ kind: 'unity-import-warning', text })
  return report
}

/**
 * `mode: check`: each `.meta` a pull would write beside the selected files and the lockfile, as a
 * stale item. None outside a Unity project.
 */
export async function checkUnityMetas(
  lookup: UnityLookup,
  place: UnityPlace,
  selected: readonly RunFile[]
): Promise<StaleAsset[]> {
  if (lookup.kind !== 'found') return []
  const scope = scopeOf(lookup.project, place)
  const files = [...selected, ...(await lockfileRecord(place))]
  const missing = await findMissingMetas(scope, files)
  return missing.map(meta => ({
    path: meta.path,
    entry: meta.file?.entry ?? null,
    format: MISSING_META_FORMAT,
    reason: `missing: without it Unity gives the ${meta.file ? 'file' : 'folder'} a new GUID on every machine, and references to it break. A pull writes it`
  }))
}

/**
 * `prune --dry-run`: the `.meta` files prune would remove with the files; undefined outside a Unity
 * project.
 */
export async function candidateMetas(
  lookup: UnityLookup,
  place: UnityPlace,
  candidates: readonly RunFile[]
): Promise<string[] | undefined> {
  if (lookup.kind !== 'found') return undefined
  return metasPruneWouldTake(scopeOf(lookup.project, place), candidates)
}

function scopeOf(project: UnityProject, place: UnityPlace): MetaScope {
  return { workspace: place.workspace, project, destination: place.destination }
}

/** The lockfile, when the run has one on disk: it lies in Assets too, and gets its `.meta`. */
async function lockfileRecord(place: UnityPlace): Promise<RunFile[]> {
  if (!place.lockfile || !(await lstat(place.lockfile).catch(() => undefined))) return []
  return [
    { path: workspaceRelative(place.workspace, place.lockfile), entry: null, format: 'lockfile' }
  ]
}
