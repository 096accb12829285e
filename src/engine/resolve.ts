// Asks echo3D for the selected entries' metadata (one query per batch), then plans every file.

import path from 'node:path'
import type { Plan, Selection, Shard } from '../model.js'
import { queryEntries, queryTags, type Echo3dSession, type RequestPorts } from './echo3d/client.js'
import { metadataQueryFailed } from './echo3d/explain.js'
import type { EntryInfo } from './echo3d/metadata.js'
import { planAssets, type PlanRequest } from './plan.js'
import { isInShard, selectionInShard } from './shard.js'

export type ResolveRequest = Pick<
  PlanRequest,
  'convertMissing' | 'fileNameTemplate' | 'destination' | 'workspace'
> & {
  selection: Selection
  /** Absolute. */
  lockfile?: string
  /** Only this part of the selection, when the work is split over a matrix. */
  shard?: Shard
}

export async function resolvePlan(
  request: ResolveRequest,
  session: Echo3dSession,
  ports: RequestPorts
): Promise<Plan> {
  const { emit } = ports
  const selection = selectionInShard(request.selection, request.shard)
  const { known, taggedEntries, unmatchedTags } = await queryMetadata(selection, session, ports)
  const plan = planAssets({
    entries: selection.entries,
    taggedEntries: taggedEntries.filter(entry => isInShard(entry.id, request.shard)),
    known,
    files: selection.files,
    defaultFormats: selection.defaultFormats,
    convertMissing: request.convertMissing,
    fileNameTemplate: request.fileNameTemplate,
    destination: request.destination,
    workspace: request.workspace,
    reserved:
      request.lockfile &&
      path.relative(request.destination, request.lockfile).split(path.sep).join('/')
  })
  if (request.shard) {
    const entries = new Set(plan.assets.map(asset => asset.entryId ?? asset.path)).size
    emit({ kind: 'shard-selected', shard: request.shard, entries })
  }
  for (const asset of plan.assets) emit({ kind: 'planned', asset })
  const conversions = plan.assets.filter(asset => asset.method.kind === 'convert').length
  emit({ kind: 'plan-ready', files: plan.assets.length, conversions })
  return unmatchedTags.length > 0 ? { ...plan, unmatchedTags } : plan
}

interface Metadata {
  /** Every entry the queries returned, by ID. */
  known: Map<string, EntryInfo>
  taggedEntries: EntryInfo[]
  unmatchedTags: string[]
}

async function queryMetadata(
  selection: Selection,
  session: Echo3dSession,
  ports: RequestPorts
): Promise<Metadata> {
  const known = new Map<string, EntryInfo>()
  let taggedEntries: EntryInfo[] = []
  let unmatchedTags: string[] = []
  try {
    if (selection.entries.length > 0) {
      const ids = selection.entries.map(entry => entry.id)
      for (const entry of await queryEntries(session, ports, ids)) known.set(entry.id, entry)
    }
    if (selection.tags.length > 0) {
      taggedEntries = await queryTags(session, ports, selection.tags)
      for (const entry of taggedEntries) known.set(entry.id, entry)
      unmatchedTags = tagsNoEntryHas(selection.tags, taggedEntries)
      const entries = taggedEntries.length
      ports.emit({ kind: 'tags-selected', tags: selection.tags, entries, unmatched: unmatchedTags })
    }
  } catch (error) {
    throw metadataQueryFailed(error)
  }
  return { known, taggedEntries, unmatchedTags }
}

/**
 * The tags that none of the entries echo3D returned has. Compared without case, so that a tag is
 * called unmatched only when echo3D cannot have matched it, whatever its own rule for case.
 */
function tagsNoEntryHas(tags: readonly string[], entries: readonly EntryInfo[]): string[] {
  const held = new Set(entries.flatMap(entry => entry.tags.map(tag => tag.toLowerCase())))
  return tags.filter(tag => !held.has(tag.toLowerCase()))
}
