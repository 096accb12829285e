// The job summary: what was pulled or found stale, every failure, and what was delivered. Every
// value from outside is redacted, then escaped for HTML; the finished text passes the redactor
// once more, like any log line.

import * as core from '@actions/core'
import { forHtml } from '../escape.js'
import { formatBytes, formatDuration, plural } from '../format.js'
import type { CheckReport, DeliveryReport, Failure, PullReport } from '../model.js'
import type { Redactor } from '../secrets.js'

/** A value from outside, as the summary's HTML may hold it. */
type Html = (value: string) => string

function htmlOf(redactor: Redactor): Html {
  return value => forHtml(redactor.redact(value))
}

export async function writePullSummary(
  report: PullReport,
  delivery: DeliveryReport,
  redactor: Redactor
): Promise<void> {
  const html = htmlOf(redactor)
  const summary = core.summary.addHeading('echo3D assets', 2)
  const totalBytes = report.files.reduce((sum, file) => sum + file.bytes, 0)
  summary.addRaw(
    `Pulled ${plural(report.files.length, 'file')} (${formatBytes(totalBytes)})` +
      (report.failures.length > 0 ? `; ${report.failures.length} failed.` : '.'),
    true
  )
  if (report.files.length > 0) {
    summary.addTable([
      headerRow('File', 'Entry', 'Format', 'Size', 'Source', 'Time'),
      ...report.files.map(file => [
        html(file.path),
        html(file.entry ?? '—'),
        html(file.format),
        formatBytes(file.bytes),
        file.source,
        formatDuration(file.durationMs)
      ])
    ])
  }
  addFailures(report.failures, html)
  if (report.pruned.length > 0) {
    summary.addHeading('Pruned', 3)
    summary.addList(report.pruned.map(file => html(file.path)))
  }
  addDeliverySection(delivery, html)
  await flushSummary(redactor)
}

/** `mode: check`: a table of what is missing or stale, or a line that all is up to date. */
export async function writeCheckSummary(report: CheckReport, redactor: Redactor): Promise<void> {
  const html = htmlOf(redactor)
  const { stale } = report
  const summary = core.summary.addHeading('echo3D assets: check', 2)
  const upToDate = report.selected - stale.length
  summary.addRaw(
    `${upToDate} of ${report.selected} selected files are up to date; ${stale.length} missing or stale.`,
    true
  )
  if (stale.length > 0) {
    summary.addTable([
      headerRow('File', 'Entry', 'Format', 'Why'),
      ...stale.map(asset => [
        html(asset.path),
        html(asset.entry ?? '—'),
        html(asset.format),
        html(asset.reason)
      ])
    ])
  }
  addFailures(report.failures, html)
  await flushSummary(redactor)
}

function headerRow(...titles: string[]): { data: string; header: true }[] {
  return titles.map(title => ({ data: title, header: true }))
}

async function flushSummary(redactor: Redactor): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const text = redactor.redact(core.summary.stringify())
  await core.summary.emptyBuffer().addRaw(text).write()
}

function addFailures(failures: readonly Failure[], html: Html): void {
  if (failures.length === 0) return
  core.summary.addHeading('Failures', 3)
  core.summary.addList(failures.map(failure => html(`${failure.label}: ${failure.message}`)))
}

function addDeliverySection(delivery: DeliveryReport, html: Html): void {
  const lines = deliveryLines(delivery)
  if (lines.length === 0) return
  core.summary.addHeading('Delivery', 3)
  core.summary.addList(lines.map(html))
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
  for (const file of outcome.changedFiles)
    lines.push(`Changed: ${file.path} (${formatBytes(file.bytes)})`)
  if (outcome.artifact) {
    lines.push(
      `Uploaded artifact ${outcome.artifact.name} (${formatBytes(outcome.artifact.bytes)}): ${outcome.artifact.url}`
    )
  }
  return lines
}
