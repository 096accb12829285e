// The job summary: failures first, then what changed, what was pruned and delivered, and the
// unchanged files folded away. GitHub drops a summary over 1 MiB whole, so it is built under that
// cap and says what it left out. Every value from outside is redacted, then escaped for HTML;
// the finished text passes the redactor once more, like any log line.

import * as core from '@actions/core'
import path from 'node:path'
import { forHtml } from '../escape.js'
import { formatBytes, formatDuration, plural } from '../quantities.js'
import {
  MISSING_META_FORMAT,
  type BudgetBreach,
  type CheckReport,
  type DeliveryReport,
  type Failure,
  type FileSource,
  type LinkedPreview,
  type MetaFile,
  type Previews,
  type PulledFile,
  type PullReport,
  type StaleAsset,
  type UnityReport
} from '../model.js'
import {
  deliveredPreviews,
  missingPictureText,
  modelCaption,
  pictureUrl,
  type PictureSide
} from '../report/preview-rows.js'
import { linesOf, TextCap, utf8Bytes, type Lines } from '../report/text-cap.js'
import {
  BUDGET_COLUMNS,
  breachCells,
  modelChanges,
  REVIEW_COLUMNS,
  reviewCells,
  type ModelChange
} from '../report/model-review.js'
import {
  decoderNote,
  OPTIMIZATION_COLUMNS,
  optimizationCells,
  optimizationTotals,
  optimizedFiles
} from '../report/optimization.js'
import type { Redactor } from '../secrets.js'

/** GitHub's cap is 1 MiB per step; the rest is headroom for the runner's own framing. */
const SUMMARY_LIMIT_BYTES = 1_000_000

/** Kept back for the closing tags and the note of what was left out. */
const RESERVE_BYTES = 4_096

/** A value from outside, as the summary's HTML may hold it. */
type Html = (value: string) => string

/** The summary as it is built: its parts, the room left under GitHub's cap, and what did not fit. */
class SummaryText {
  readonly parts: string[] = []
  readonly leftOut: string[] = []
  // Each part takes a line of its own: its line break counts too.
  readonly room = new TextCap(SUMMARY_LIMIT_BYTES - RESERVE_BYTES, text => utf8Bytes(text) + 1)

  constructor(readonly html: Html) {}

  add(text: string): void {
    if (this.room.take(text)) this.parts.push(text)
  }

  /** A heading and a list or table whose items are kept while they fit. */
  addSection(opening: string, items: Lines, closing: string, what: string): void {
    if (!this.room.take(opening + closing)) return
    const { kept, omitted } = this.room.takeLines(items)
    this.parts.push(opening, ...kept, closing)
    if (omitted > 0) this.leftOut.push(plural(omitted, what))
  }

  finish(fullListHint: string): string {
    if (this.leftOut.length > 0) {
      this.parts.push(
        `<p><strong>Left out to stay under GitHub's 1 MiB limit for a job summary:</strong> ${this.leftOut.join(', ')}. ${fullListHint}</p>`
      )
    }
    return this.parts.join('\n')
  }
}

function htmlOf(redactor: Redactor): Html {
  return value => forHtml(redactor.redact(value))
}

export async function writePullSummary(
  report: PullReport,
  delivery: DeliveryReport,
  redactor: Redactor,
  previews: Previews = { items: [] }
): Promise<void> {
  const text = new SummaryText(htmlOf(redactor))
  text.add('<h2>echo3D assets</h2>')
  text.add(`<p>${pullTotals(report)}</p>`)
  for (const note of report.notes) text.add(`<p>${text.html(note)}</p>`)
  addBudgets(text, report.overBudget)
  addFailures(text, report.failures)
  addModelReview(text, report.files)
  addOptimization(text, report.files)
  addPreviews(text, previews, delivery)
  addUnity(text, report.unity)
  const changed = report.files.filter(file => file.source !== 'unchanged')
  const unchanged = report.files.filter(file => file.source === 'unchanged')
  if (changed.length > 0) {
    text.addSection(
      `<h3>Pulled</h3>\n<table>${fileHeader()}`,
      fileRows(changed, text.html),
      '</table>',
      'pulled file'
    )
  }
  addPruned(text, report)
  addDelivery(text, delivery)
  if (unchanged.length > 0) {
    text.addSection(
      `<details><summary>${plural(unchanged.length, 'unchanged file')}</summary>\n<table>${fileHeader()}`,
      fileRows(unchanged, text.html),
      '</table></details>',
      'unchanged file'
    )
  }
  await writeSummary(text.finish(FULL_FILE_LIST), redactor)
}

const FULL_FILE_LIST =
  'Every file is listed in the JSON file that the `files-path` output names, and in the lockfile when there is one.'

function pullTotals(report: PullReport): string {
  const totalBytes = report.files.reduce((sum, file) => sum + file.bytes, 0)
  const sources = countSources(report.files)
  const parts = [
    sources.download > 0 ? `${sources.download} downloaded` : '',
    sources.conversion > 0 ? `${sources.conversion} converted` : '',
    sources.cache > 0 ? `${sources.cache} from the cache` : '',
    sources.unchanged > 0 ? `${sources.unchanged} unchanged` : ''
  ].filter(part => part !== '')
  const detail = parts.length > 0 ? `: ${parts.join(', ')}` : ''
  const failed = report.failures.length > 0 ? `; ${report.failures.length} failed` : ''
  return `Pulled ${plural(report.files.length, 'file')} (${formatBytes(totalBytes)})${detail}${failed}.`
}

function countSources(files: readonly PulledFile[]): Record<FileSource, number> {
  const counts: Record<FileSource, number> = { download: 0, conversion: 0, cache: 0, unchanged: 0 }
  for (const file of files) counts[file.source]++
  return counts
}

function addBudgets(text: SummaryText, breaches: readonly BudgetBreach[]): void {
  if (breaches.length === 0) return
  text.addSection(
    `<h3>⚠️ Over budget: ${plural(breaches.length, 'limit')} broken</h3>\n<table>${headerRow(...BUDGET_COLUMNS)}`,
    breachRows(breaches, text.html),
    '</table>',
    'broken budget'
  )
}

function breachRows(breaches: readonly BudgetBreach[], html: Html): Lines {
  return linesOf(breaches, breach => row(...breachCells(breach).map(html)))
}

/** Before → after for every model written, the largest jumps first; then the validator's warnings. */
function addModelReview(text: SummaryText, files: readonly PulledFile[]): void {
  const review = modelChanges(files)
  if (review.length > 0) {
    text.addSection(
      `<h3>What changed in the models</h3>\n<table>${headerRow(...REVIEW_COLUMNS)}`,
      reviewRows(review, text.html),
      '</table>',
      'reviewed model'
    )
  }
  const checked = files.filter(
    file => file.validation && (file.validation.warnings.length > 0 || file.validation.skipped)
  )
  if (checked.length > 0) {
    text.addSection(
      '<h3>glTF Validator</h3>\n<ul>',
      validatorItems(checked, text.html),
      '</ul>',
      'validator note'
    )
  }
}

/** Each optimised model's bytes, as echo3D served it and as written, and what an app needs to load it. */
function addOptimization(text: SummaryText, files: readonly PulledFile[]): void {
  const optimized = optimizedFiles(files)
  if (optimized.length === 0) return
  const rows = optimized.map(file => row(...optimizationCells(file).map(text.html)))
  if (optimized.length > 1) rows.push(row(...optimizationTotals(optimized).map(text.html)))
  text.addSection(
    `<h3>Optimised for the web</h3>\n<table>${headerRow(...OPTIMIZATION_COLUMNS)}`,
    rows,
    '</table>',
    'optimised model'
  )
  const note = decoderNote(optimized)
  if (note) text.add(`<p>${text.html(note)}</p>`)
}

/** Each model's pictures: shown where they were committed, otherwise named, with the change. */
function addPreviews(text: SummaryText, previews: Previews, delivery: DeliveryReport): void {
  if (previews.unavailable) text.add(`<p>No previews: ${text.html(previews.unavailable)}.</p>`)
  if (previews.items.length === 0) return
  const rows = deliveredPreviews(previews, delivery).map(item =>
    row(
      text.html(modelCaption(item)),
      pictureCell(item, 'before', text.html),
      pictureCell(item, 'after', text.html),
      text.html(item.change)
    )
  )
  text.addSection(
    `<h3>Previews</h3>\n<table>${headerRow('Model', 'Before', 'After', 'Change')}`,
    rows,
    '</table>',
    'previewed model'
  )
  const artifact = delivery.kind === 'done' ? delivery.outcome.previewsArtifact : undefined
  const uploaded = artifact ? `, and in the artifact ${text.html(artifact.name)}` : ''
  text.add(
    `<p>The pictures are files under RUNNER_TEMP, listed in the JSON file that the <code>previews-path</code> output names${uploaded}.</p>`
  )
}

/** A Unity project's `.meta` files, counted and listed with their GUIDs, and its import warnings. */
function addUnity(text: SummaryText, unity: UnityReport | undefined): void {
  if (!unity) return
  const where = unity.project ? ` ${text.html(unity.project)}` : ''
  text.add(`<h3>Unity project${where}</h3>`)
  const { written, kept, removed } = unity
  text.add(
    `<p>${plural(written.length, '.meta file')} written, ${kept.length} kept as they were, ${removed.length} removed.</p>`
  )
  const warnings = unity.importWarnings.map(warning => `<li>⚠️ ${text.html(warning)}</li>`)
  if (warnings.length > 0) text.addSection('<ul>', warnings, '</ul>', 'Unity warning')
  const rows = [
    ...written.map(meta =>
      metaRow(meta, meta.movedFrom ? `moved from ${meta.movedFrom}` : 'written', text.html)
    ),
    ...kept.map(meta => metaRow(meta, 'kept', text.html)),
    ...removed.map(metaPath => metaRow({ path: metaPath }, 'removed', text.html))
  ]
  if (rows.length === 0) return
  text.addSection(
    `<details><summary>The .meta files and their GUIDs</summary>\n<table>${headerRow('.meta file', 'GUID', 'What the run did')}`,
    rows,
    '</table></details>',
    '.meta file'
  )
}

function metaRow(meta: MetaFile, what: string, html: Html): string {
  return row(html(meta.path), html(meta.guid ?? '—'), html(what))
}

/** The picture where it was committed; otherwise its file's name, or why there is none. */
function pictureCell(item: LinkedPreview, side: PictureSide, html: Html): string {
  const url = pictureUrl(item, side)
  if (url) return `<img src="${html(url)}" alt="${side}" width="256">`
  const file = item[side]
  if (file) return html(path.basename(file))
  return html(missingPictureText(item, side) ?? '—')
}

function reviewRows(review: readonly ModelChange[], html: Html): Lines {
  return linesOf(review, change => {
    const cells = reviewCells(change).map(html)
    if (change.markers.length > 0)
      cells[cells.length - 1] = `⚠️ <strong>${cells[cells.length - 1]}</strong>`
    return row(...cells)
  })
}

function validatorItems(files: readonly PulledFile[], html: Html): Lines {
  return linesOf(files, file => {
    const notes = [...(file.validation?.warnings ?? []), file.validation?.skipped ?? ''].filter(
      Boolean
    )
    return `<li><code>${html(file.path)}</code>: ${notes.map(html).join('; ')}</li>`
  })
}

function fileHeader(): string {
  return headerRow('File', 'Entry', 'Format', 'Size', 'Source', 'Time')
}

function fileRows(files: readonly PulledFile[], html: Html): Lines {
  return linesOf(files, file =>
    row(
      html(file.path),
      html(file.entry ?? '—'),
      html(file.format),
      formatBytes(file.bytes),
      file.source,
      formatDuration(file.durationMs)
    )
  )
}

/** `mode: check`: a table of what is missing or stale, or a line that all is up to date. */
export async function writeCheckSummary(report: CheckReport, redactor: Redactor): Promise<void> {
  const text = new SummaryText(htmlOf(redactor))
  const { stale } = report
  text.add('<h2>echo3D assets: check</h2>')
  const metas = stale.filter(item => item.format === MISSING_META_FORMAT).length
  const files = stale.length - metas
  const metasMissing = metas > 0 ? `; ${plural(metas, 'Unity .meta file')} missing` : ''
  text.add(
    `<p>${report.selected - files} of ${report.selected} selected files are up to date; ${files} missing or stale${metasMissing}.</p>`
  )
  addBudgets(text, report.overBudget)
  addFailures(text, report.failures)
  if (stale.length > 0) {
    const header = headerRow('File', 'Entry', 'Format', 'Why')
    text.addSection(`<table>${header}`, staleRows(stale, text.html), '</table>', 'stale file')
  }
  const hint = 'Every stale file is listed in the JSON file that the `stale-path` output names.'
  await writeSummary(text.finish(hint), redactor)
}

function headerRow(...titles: string[]): string {
  return `<tr>${titles.map(title => `<th>${title}</th>`).join('')}</tr>`
}

function row(...cells: string[]): string {
  return `<tr>${cells.map(cell => `<td>${cell}</td>`).join('')}</tr>`
}

function staleRows(stale: readonly StaleAsset[], html: Html): Lines {
  return linesOf(stale, asset =>
    row(html(asset.path), html(asset.entry ?? '—'), html(asset.format), html(asset.reason))
  )
}

function listItems(lines: readonly string[], html: Html): Lines {
  return linesOf(lines, line => `<li>${html(line)}</li>`)
}

async function writeSummary(text: string, redactor: Redactor): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.emptyBuffer().addRaw(redactor.redact(text), true).write()
}

function addFailures(text: SummaryText, failures: readonly Failure[]): void {
  if (failures.length === 0) return
  const lines = failures.map(failure => `${failure.label}: ${failure.message}`)
  text.addSection('<h3>Failures</h3>\n<ul>', listItems(lines, text.html), '</ul>', 'failure')
}

function addPruned(text: SummaryText, report: PullReport): void {
  if (report.pruned.length === 0) return
  const paths = report.pruned.map(file => file.path)
  text.addSection('<h3>Pruned</h3>\n<ul>', listItems(paths, text.html), '</ul>', 'pruned file')
}

function addDelivery(text: SummaryText, delivery: DeliveryReport): void {
  const lines = deliveryLines(delivery)
  if (lines.length === 0) return
  text.addSection('<h3>Delivery</h3>\n<ul>', listItems(lines, text.html), '</ul>', 'delivery line')
}

function deliveryLines(delivery: DeliveryReport): string[] {
  if (delivery.kind === 'none') return []
  if (delivery.kind === 'skipped') return [`Skipped: ${delivery.reason}.`]
  if (delivery.kind === 'failed') return [`Failed: ${delivery.error.message}`]
  const { outcome } = delivery
  const lines: string[] = []
  if (outcome.changed === false)
    lines.push(`No file differs from ${outcome.branch}: nothing committed.`)
  if (outcome.closedPullRequest) {
    lines.push(
      `Closed pull request #${outcome.closedPullRequest}: ${outcome.branch} already has every file.`
    )
  }
  if (outcome.pullRequest) {
    const verb = outcome.pullRequest.created ? 'Opened' : 'Updated'
    lines.push(
      `${verb} pull request #${outcome.pullRequest.number} into ${outcome.branch}: ${outcome.pullRequest.url}`
    )
  } else if (outcome.commitSha) {
    lines.push(`Committed ${outcome.commitSha.slice(0, 7)} to ${outcome.branch}.`)
  }
  if (outcome.gitInsteadOfApi)
    lines.push(`Committed with git instead of the API: ${outcome.gitInsteadOfApi}.`)
  if (outcome.artifact) {
    lines.push(
      `Uploaded artifact ${outcome.artifact.name} (${formatBytes(outcome.artifact.bytes)}): ${outcome.artifact.url}`
    )
  }
  if (outcome.previewsArtifact) {
    const { name, bytes, url } = outcome.previewsArtifact
    lines.push(`Uploaded the previews as artifact ${name} (${formatBytes(bytes)}): ${url}`)
  }
  for (const file of outcome.changedFiles)
    lines.push(`Changed: ${file.path} (${formatBytes(file.bytes)})`)
  return lines
}
