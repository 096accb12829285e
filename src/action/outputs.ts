// The step's outputs, named once here. A test holds this list, action.yml and the README in step.

import * as core from '@actions/core'
import type {
  CheckReport,
  DeliveryOutcome,
  DeliveryReport,
  PulledFile,
  PullReport
} from '../model.js'
import type { CommitMode } from './inputs/delivery.js'

export const OUTPUTS = [
  'files',
  'count',
  'bytes',
  'cache-hits',
  'unchanged',
  'stale',
  'changed',
  'commit-sha',
  'pull-request-number',
  'pull-request-url',
  'pull-request-operation',
  'artifact-id',
  'artifact-url',
  'artifact-digest'
] as const

type OutputName = (typeof OUTPUTS)[number]

function setOutput(name: OutputName, value: string | number | boolean): void {
  core.setOutput(name, value)
}

export function setPullOutputs(report: PullReport): void {
  setOutput('files', JSON.stringify(report.files.map(fileOutput)))
  setOutput('count', report.files.length)
  setOutput(
    'bytes',
    report.files.reduce((sum, file) => sum + file.bytes, 0)
  )
  setOutput('cache-hits', report.files.filter(file => file.source === 'cache').length)
  setOutput('unchanged', report.files.filter(file => file.source === 'unchanged').length)
}

/** A file as the `files` output shows it: everything but the time it took, in a fixed order. */
function fileOutput(file: PulledFile): Omit<PulledFile, 'durationMs'> {
  return {
    entry: file.entry,
    storageId: file.storageId,
    format: file.format,
    path: file.path,
    bytes: file.bytes,
    sha256: file.sha256,
    source: file.source
  }
}

export function setCheckOutputs(report: CheckReport): void {
  setOutput('stale', JSON.stringify(report.stale))
}

/** What happened to the pull request, in the words of peter-evans/create-pull-request. */
function pullRequestOperation(outcome: DeliveryOutcome): 'created' | 'updated' | 'closed' | 'none' {
  if (outcome.pullRequest) return outcome.pullRequest.created ? 'created' : 'updated'
  return outcome.closedPullRequest ? 'closed' : 'none'
}

export function setDeliveryOutputs(delivery: DeliveryReport, commit: CommitMode): void {
  if (delivery.kind !== 'done') return
  const { outcome } = delivery
  if (commit === 'pull-request') setOutput('pull-request-operation', pullRequestOperation(outcome))
  if (outcome.changed !== undefined) setOutput('changed', outcome.changed)
  if (outcome.commitSha) setOutput('commit-sha', outcome.commitSha)
  if (outcome.pullRequest) {
    setOutput('pull-request-number', outcome.pullRequest.number)
    setOutput('pull-request-url', outcome.pullRequest.url)
  }
  if (outcome.artifact) {
    setOutput('artifact-id', outcome.artifact.id)
    setOutput('artifact-url', outcome.artifact.url)
    if (outcome.artifact.digest) setOutput('artifact-digest', outcome.artifact.digest)
  }
}
