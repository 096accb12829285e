import path from 'node:path'
import * as core from '@actions/core'
import type { PlanFailure } from '../plan.js'
import type { FileSource, PulledFile } from '../pull.js'
import type { Redactor } from '../secrets.js'
import { formatDuration } from '../transfer/retry.js'
import { formatBytes } from './log.js'

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
  const absolute = path.join(report.destination, file.asset.relativePath)
  return path.relative(report.workspace, absolute).split(path.sep).join('/')
}

export function setOutputs(report: RunReport): void {
  core.setOutput('files', JSON.stringify(fileRecords(report)))
  core.setOutput('count', report.files.length)
  core.setOutput(
    'bytes',
    report.files.reduce((sum, file) => sum + file.bytes, 0)
  )
  core.setOutput('cache-hits', report.files.filter(file => file.source === 'cache').length)
}

/** The job summary: what was pulled, then every failure. Text passes the redactor like any log line. */
export async function writeSummary(report: RunReport, redactor: Redactor): Promise<void> {
  const summary = core.summary.addHeading('echo3D assets', 2)
  const totalBytes = report.files.reduce((sum, file) => sum + file.bytes, 0)
  summary.addRaw(
    `Pulled ${report.files.length} file${report.files.length === 1 ? '' : 's'} (${formatBytes(totalBytes)})` +
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
  if (report.failures.length > 0) {
    summary.addHeading('Failures', 3)
    summary.addList(
      report.failures.map(failure => escapeHtml(`${failure.label}: ${failure.message}`))
    )
  }
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const text = redactor.redact(summary.stringify())
  await summary.emptyBuffer().addRaw(text).write()
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
