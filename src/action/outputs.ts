// The step's outputs, named once here. A test holds this list, action.yml and the README in step.
// GitHub keeps at most 1 MB of outputs per job: a list of files is always written whole to a JSON
// file whose path is an output, and is an output itself only while it stays small.

import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import type {
  BudgetBreach,
  CheckReport,
  DeliveryOutcome,
  DeliveryReport,
  PulledFile,
  Previews,
  PullReport
} from '../model.js'
import { deliveredPreviews } from '../report/preview-rows.js'
import type { CommitMode } from '../settings/delivery.js'

export const OUTPUTS = [
  'files',
  'files-path',
  'count',
  'bytes',
  'cache-hits',
  'unchanged',
  'stale',
  'stale-path',
  'over-budget',
  'over-budget-path',
  'previews-path',
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

/** The most a run's lists may take as outputs together; the other outputs are a few bytes each. */
const LIST_OUTPUTS_LIMIT_BYTES = 512 * 1024

/** What is left of LIST_OUTPUTS_LIMIT_BYTES for the run's next list. */
interface ListRoom {
  bytes: number
}

export async function setPullOutputs(
  report: PullReport,
  environment: NodeJS.ProcessEnv
): Promise<void> {
  const room: ListRoom = { bytes: LIST_OUTPUTS_LIMIT_BYTES }
  const items = report.files.map(file => JSON.stringify(fileOutput(file)))
  await setListOutputs('files', 'files-path', items, { environment, room })
  await setBudgetOutputs(report.overBudget, { environment, room })
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
    source: file.source,
    ...(file.model ? { model: file.model } : {}),
    ...(file.before ? { before: file.before } : {}),
    ...(file.validation ? { validation: file.validation } : {}),
    ...(file.optimized ? { optimized: file.optimized } : {})
  }
}

export async function setCheckOutputs(
  report: CheckReport,
  environment: NodeJS.ProcessEnv
): Promise<void> {
  const room: ListRoom = { bytes: LIST_OUTPUTS_LIMIT_BYTES }
  const items = report.stale.map(asset => JSON.stringify(asset))
  await setListOutputs('stale', 'stale-path', items, { environment, room })
  await setBudgetOutputs(report.overBudget, { environment, room })
}

/** Where a list goes: the runner's folders, and the room left among the outputs. */
interface ListPlace {
  environment: NodeJS.ProcessEnv
  room: ListRoom
}

/** Every limit a model breaks, one object each: `path`, `format`, `limit`, `max`, `actual`. */
async function setBudgetOutputs(
  breaches: readonly BudgetBreach[],
  place: ListPlace
): Promise<void> {
  const items = breaches.map(breach => JSON.stringify(breach))
  await setListOutputs('over-budget', 'over-budget-path', items, place)
}

/**
 * A JSON list: always whole in a file under RUNNER_TEMP, whose path is an output; as an output of
 * its own only while it fits in the room the run's lists share, and otherwise left out with a
 * warning, never cut.
 */
async function setListOutputs(
  name: 'files' | 'stale' | 'over-budget',
  pathName: 'files-path' | 'stale-path' | 'over-budget-path',
  items: readonly string[],
  { environment, room }: ListPlace
): Promise<void> {
  const filePath = await writeJsonList(name, items, environment)
  setOutput(pathName, filePath)
  const bytes = items.reduce((sum, item) => sum + Buffer.byteLength(item) + 1, 2)
  if (bytes <= room.bytes) {
    setOutput(name, `[${items.join(',')}]`)
    room.bytes -= bytes
    return
  }
  setOutput(name, '')
  core.warning(
    `The \`${name}\` output is left empty: its ${items.length} items take ${bytes} bytes, more than the ${room.bytes} left of the ${LIST_OUTPUTS_LIMIT_BYTES} this action allows its lists of GitHub's 1 MB of outputs per job. Read the whole list from the JSON file that the \`${pathName}\` output names.`
  )
}

/** Streamed one item per line: a list of thousands of files is never one string. */
async function writeJsonList(
  name: string,
  items: readonly string[],
  environment: NodeJS.ProcessEnv
): Promise<string> {
  const folder = path.join(environment.RUNNER_TEMP || os.tmpdir(), `echo3d-assets-${randomUUID()}`)
  await mkdir(folder, { recursive: true })
  const filePath = path.join(folder, `${name}.json`)
  const out = createWriteStream(filePath)
  out.write('[')
  items.forEach((item, index) => out.write(`${index === 0 ? '' : ','}\n${item}`))
  out.end(']\n')
  await finished(out)
  return filePath
}

/**
 * The previewed models, with their pictures' files and, once committed, their URLs, in a JSON
 * file under RUNNER_TEMP.
 */
export async function setPreviewOutputs(
  previews: Previews,
  delivery: DeliveryReport,
  environment: NodeJS.ProcessEnv
): Promise<void> {
  if (previews.items.length === 0) return
  const items = deliveredPreviews(previews, delivery).map(item => JSON.stringify(item))
  setOutput('previews-path', await writeJsonList('previews', items, environment))
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
