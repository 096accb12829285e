import * as core from '@actions/core'
import type { DeliveryReport } from '../delivery/deliver.js'
import { workspacePathOf } from '../naming.js'
import type { StaleAsset } from '../check.js'
import type { Plan, PlanFailure } from '../plan.js'
import type { FileSource, PulledFile } from '../pull.js'
import type { Redactor } from '../secrets.js'
import { formatDuration } from '../transfer/retry.js'
import { formatBytes, plural } from './log.js'

/** The `files` output: one record per file written. */
export interface FileRecord {
  entry: string | null
  storageId: string | null
  format: string
  path: string
  bytes: number
  sha256: string
  source: FileSource
}

export interface RunReport {
  files: PulledFile[]
  failures: PlanFailure[]
  workspace: string
  destination: string
  /** Workspace paths that `prune` deleted. */
  pruned: string[]
}

export function fileRecords(report: RunReport): FileRecord[] {
  return report.files.map(file => ({
    entry: file.asset.entryId,
    storageId: file.storageId,
    format: file.asset.format,
    path: workspacePath(report, file),
    bytes: file.bytes,
    sha256: file.sha256,
    source: file.source
  }))
}

function workspacePath(report: RunReport, file: PulledFile): string {
  return workspacePathOf(report.workspace, report.destination, file.asset.relativePath)
}

export function setOutputs(report: RunReport): void {
  core.setOutput('files', JSON.stringify(fileRecords(report)))
  core.setOutput('count', report.files.length)
  core.setOutput(
    'bytes',
    report.files.reduce((sum, file) => sum + file.bytes, 0)
  )
  core.setOutput('cache-hits', report.files.filter(file => file.source === 'cache').length)
  core.setOutput('unchanged', report.files.filter(file => file.source === 'unchanged').length)
}

export function setDeliveryOutputs(delivery: DeliveryReport): void {
  const outcome = delivery.outcome
  if (!outcome) return
  if (outcome.changed !== undefined) core.setOutput('changed', outcome.changed)
  if (outcome.commitSha) core.setOutput('commit-sha', outcome.commitSha)
  if (outcome.pullRequest) {
    core.setOutput('pull-request-number', outcome.pullRequest.number)
    core.setOutput('pull-request-url', outcome.pullRequest.url)
  }
  if (outcome.artifact) {
    core.setOutput('artifact-id', outcome.artifact.id)
    core.setOutput('artifact-url', outcome.artifact.url)
  }
}

/** The job summary: what was pulled, every failure, then what was delivered. Text passes the redactor like any log line. */
export async function writeSummary(
  report: RunReport,
  delivery: DeliveryReport,
  redactor: Redactor
): Promise<void> {
  const summary = core.summary.addHeading('echo3D assets', 2)
  const totalBytes = report.files.reduce((sum, file) => sum + file.bytes, 0)
  summary.addRaw(
    `Pulled ${plural(report.files.length, 'file')} (${formatBytes(totalBytes)})` +
      (report.failures.length > 0 ? `; ${report.failures.length} failed.` : '.'),
    true
  )
  if (report.files.length > 0) {
    summary.addTable([
      [
        { data: 'File', header: true },
        { data: 'Entry', header: true },
        { data: 'Format', header: true },
        { data: 'Size', header: true },
        { data: 'Source', header: true },
        { data: 'Time', header: true }
      ],
      ...report.files.map(file => [
        escapeHtml(workspacePath(report, file)),
        escapeHtml(file.asset.entryId ?? '—'),
        file.asset.format,
        formatBytes(file.bytes),
        file.source,
        formatDuration(file.durationMs)
      ])
    ])
  }
  addFailures(report.failures)
  if (report.pruned.length > 0) {
    summary.addHeading('Pruned', 3)
    summary.addList(report.pruned.map(escapeHtml))
  }
  addDeliverySection(delivery)
  await flushSummary(redactor)
}

/** `mode: check`: a table of what is missing or stale, or a line that all is up to date. */
export async function writeCheckSummary(
  plan: Plan,
  stale: readonly StaleAsset[],
  redactor: Redactor
): Promise<void> {
  const summary = core.summary.addHeading('echo3D assets: check', 2)
  const upToDate = plan.assets.length - stale.length
  summary.addRaw(
    `${upToDate} of ${plan.assets.length} selected files are up to date; ${stale.length} missing or stale.`,
    true
  )
  if (stale.length > 0) {
    summary.addTable([
      [
        { data: 'File', header: true },
        { data: 'Entry', header: true },
        { data: 'Format', header: true },
        { data: 'Why', header: true }
      ],
      ...stale.map(asset => [
        escapeHtml(asset.path),
        escapeHtml(asset.entry ?? '—'),
        asset.format,
        escapeHtml(asset.reason)
      ])
    ])
  }
  addFailures(plan.failures)
  await flushSummary(redactor)
}

async function flushSummary(redactor: Redactor): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const text = redactor.redact(core.summary.stringify())
  await core.summary.emptyBuffer().addRaw(text).write()
}

function addFailures(failures: readonly PlanFailure[]): void {
  if (failures.length === 0) return
  core.summary.addHeading('Failures', 3)
  core.summary.addList(failures.map(failure => escapeHtml(`${failure.label}: ${failure.message}`)))
}

function addDeliverySection(delivery: DeliveryReport): void {
  const lines = deliveryLines(delivery)
  if (lines.length === 0) return
  core.summary.addHeading('Delivery', 3)
  core.summary.addList(lines.map(escapeHtml))
}

function deliveryLines(delivery: DeliveryReport): string[] {
  if (delivery.skipped) return [`Skipped: ${delivery.skipped}.`]
  if (delivery.error) return [`Failed: ${delivery.error.message}`]
  const outcome = delivery.outcome
  if (!outcome) return []
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
    lines.push(`Changed: ${file.repoPath} (${formatBytes(file.bytes)})`)
  if (outcome.artifact) {
    lines.push(
      `Uploaded artifact ${outcome.artifact.name} (${formatBytes(outcome.artifact.bytes)}): ${outcome.artifact.url}`
    )
  }
  return lines
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
