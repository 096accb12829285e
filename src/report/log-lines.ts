// How the engine's events read in a log, one line each. Shared by the adapters, so the action's job
// log and a terminal say the same things in the same words.

import type { RunEvent } from '../engine/index.js'
import { formatBytes, formatDuration, plural } from '../quantities.js'
import type { PlannedAsset, UnityReport } from '../model.js'

export type LogLine =
  /** `debug`: one line per file where thousands may come; shown only with debug logging. */
  | { level: 'debug' | 'info' | 'warning'; text: string }
  | { level: 'group'; title: string }
  | { level: 'end-group' }

type Kind = RunEvent['kind']
type EventOf<K extends Kind> = Extract<RunEvent, { kind: K }>

/** One entry per kind of event: the compiler rejects a kind without its line. */
const LINES: { [K in Kind]: (event: EventOf<K>) => LogLine } = {
  'stage-started': event => ({
    level: 'group',
    title:
      event.stage === 'resolving'
        ? 'Resolving entries'
        : `Pulling ${plural(event.files ?? 0, 'file')}`
  }),
  'stage-ended': () => ({ level: 'end-group' }),
  'tags-selected': event => tagsSelected(event),
  planned: event =>
    debug(`${event.asset.label} -> ${event.asset.relativePath} (${howFetched(event.asset)})`),
  'plan-ready': event => info(planReady(event.files, event.conversions)),
  'shard-selected': event =>
    info(
      `Shard ${event.shard.index} of ${event.shard.count}: this job pulls ${event.entries} of the selection's entries`
    ),
  'lockfile-ignored': event =>
    warning(
      `The lockfile ${event.path} is corrupt or was edited by hand (${event.reason}). It is ignored: every file is pulled again, and the lockfile is rewritten`
    ),
  'partials-removed': event =>
    info(`Removed ${plural(event.count, 'partial file')} that an interrupted run left behind`),
  'stale-on-disk': event =>
    info(`  ${event.asset.relativePath}: ${event.reason}; pulling it again`),
  'cache-copy-rejected': event =>
    warning(
      `The cached copy of ${event.asset.label} failed its check (${event.reason}); downloading it again`
    ),
  'cache-store-failed': event =>
    warning(
      `Could not cache storage ID ${event.storageId}: ${event.reason}. The run goes on without it`
    ),
  'cache-save-failed': event =>
    warning(
      `The cache could not save this run's files (${event.reason}); the next run downloads them again`
    ),
  retrying: event =>
    info(
      `${event.asset ? `  ${event.asset.label}` : 'Metadata query'}: ${event.reason}; retry ${event.attempt} of ${event.retries} in ${formatDuration(event.delayMs)}`
    ),
  'conversion-started': event =>
    info(
      `  ${event.asset.label}: asked echo3D to convert it; waiting (up to ${formatDuration(event.timeoutMs)})`
    ),
  'conversions-lowered': event =>
    warning(
      `echo3D asked for fewer conversions at once (429 Too Many Requests): at most ${event.to} at a time from now on, down from ${event.from}`
    ),
  'conversion-waiting': event =>
    info(`  ${event.asset.label}: still converting, waited ${formatDuration(event.waitedMs)}`),
  'download-progress': event =>
    info(`  ${event.asset.relativePath}: ${event.percent}% of ${formatBytes(event.totalBytes)}`),
  pulled: ({ asset, file }) =>
    (file.source === 'unchanged' ? debug : info)(
      `✓ ${asset.relativePath} (${file.format}, ${formatBytes(file.bytes)}, ${file.source}, ${formatDuration(file.durationMs)})`
    ),
  'models-inspected': event => info(modelsInspected(event)),
  'unchanged-total': event =>
    info(
      `✓ ${plural(event.files, 'file')} already up to date on disk: nothing transferred for ${event.files === 1 ? 'it' : 'them'}`
    ),
  failed: event => info(`✗ ${event.failure.label}: ${event.failure.message}`),
  'conversion-ids-unknown': event =>
    warning(`Could not record the storage IDs of converted files: ${event.reason}`),
  'prune-skipped': event => warning(pruneSkippedText(event.unmatchedTags)),
  pruned: event => info(`Pruned ${event.path} (no longer selected)`),
  'prune-kept': event => warning(`Not pruning ${event.path}: ${event.reason}`),
  stale: event => info(`✗ ${event.stale.path}: ${event.stale.reason}`),
  'up-to-date': event =>
    info(
      event.files === 1 ? 'The asset is up to date' : `All ${event.files} assets are up to date`
    ),
  'unity-metas': event => unityMetas(event.report),
  'unity-import-warning': event => warning(event.text),
  'unity-outside-assets': event => warning(`A Unity project: ${event.reason}`)
}

function unityMetas(report: UnityReport): LogLine {
  const where = report.project ? `Unity project ${report.project}` : 'Unity project'
  return info(
    `${where}: ${plural(report.written.length, '.meta file')} written, ${report.kept.length} kept, ${report.removed.length} removed`
  )
}

export function logLineOf(event: RunEvent): LogLine {
  const line = LINES[event.kind] as (event: RunEvent) => LogLine
  return line(event)
}

const TAG_NAMES_HINT = 'check the tag names in echo3D (they are case-sensitive)'

function tagsSelected({ tags, entries, unmatched }: EventOf<'tags-selected'>): LogLine {
  const selected = `Tags ${tags.join(', ')} selected ${entries} entries`
  if (entries === 0) return warning(`${selected}: ${TAG_NAMES_HINT}`)
  if (unmatched.length === 0) return info(selected)
  return warning(`${selected}, none of them by ${tagList(unmatched)}: ${TAG_NAMES_HINT}`)
}

function pruneSkippedText(unmatchedTags: readonly string[] | undefined): string {
  if (!unmatchedTags)
    return 'Not pruning: some assets failed, so the selection is not known for sure'
  return `Not pruning: ${tagList(unmatchedTags)} selected no entry, so the selection is not known for sure. Correct the tag, or remove it from the selection`
}

function tagList(tags: readonly string[]): string {
  return `${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')}`
}

function modelsInspected(event: EventOf<'models-inspected'>): string {
  const statistics = `Read the statistics of ${plural(event.models, 'model')} in ${formatDuration(event.statisticsMs)}`
  if (event.validated === 0) return statistics
  return `${statistics}; validated ${event.validated} with the glTF Validator in ${formatDuration(event.validationMs)}`
}

function planReady(files: number, conversions: number): string {
  const converting = conversions > 0 ? `, ${conversions} of them by conversion` : ''
  return `Planned ${plural(files, 'file')}${converting}`
}

function howFetched(asset: PlannedAsset): string {
  return asset.method.kind === 'convert' ? 'convert' : `storage ID ${asset.method.storageId}`
}

function debug(text: string): LogLine {
  return { level: 'debug', text }
}

function info(text: string): LogLine {
  return { level: 'info', text }
}

function warning(text: string): LogLine {
  return { level: 'warning', text }
}
