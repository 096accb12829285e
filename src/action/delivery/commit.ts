// Building commits on a branch that may move meanwhile, without ever forcing a shared branch.

import { DeliveryError } from '../../errors.js'
import { forCommitMessage } from '../../escape.js'
import { formatBytes } from '../../quantities.js'
import type { DeliveredFile } from '../../model.js'
import type { Logger } from '../log.js'
import type { CommitBackend } from './backend.js'

/**
 * How often a commit is rebuilt on a branch that moved meanwhile before the step gives up: enough
 * for the jobs of a matrix that commit to one branch at the same moment.
 */
const MAX_PUSH_ATTEMPTS = 8
/** The longest pause before a rebuild, so that racing jobs do not race again in step. */
const MAX_REBUILD_PAUSE_MS = 1_000

export interface CommitResult {
  /** Files that differ from the branch; empty means nothing was committed. */
  changed: DeliveredFile[]
  commitSha?: string
}

/** A pull request's branch, prepared on its base's tip. */
export interface PreparedBranch extends CommitResult {
  baseTip: string
}

/** The commit message: the user's first line, then a body that lists what changed. */
export function commitMessage(firstLine: string, changed: readonly DeliveredFile[]): string {
  return `${firstLine}\n\n${changed.map(describeChange).join('\n')}\n`
}

function describeChange(file: DeliveredFile): string {
  const filePath = forCommitMessage(file.path)
  if (file.deleted) return `- removed ${filePath}`
  const entry = file.entry ? `, entry ${forCommitMessage(file.entry)}` : ''
  return `- ${filePath} (${forCommitMessage(file.format)}, ${formatBytes(file.bytes)}${entry})`
}

/**
 * Commits the changed files onto `branch` as a fast-forward. When the branch moves meanwhile, the
 * commit is rebuilt on the new tip, a bounded number of times: a shared branch is never forced.
 */
export async function commitToBranch(
  backend: CommitBackend,
  branch: string,
  files: readonly DeliveredFile[],
  firstLine: string,
  log: Logger,
  /** Brings the files up to date with the tip before they are compared (a shard's lockfile). */
  prepare: (tip: string) => Promise<void> = () => Promise.resolve()
): Promise<CommitResult> {
  for (let attempt = 1; attempt <= MAX_PUSH_ATTEMPTS; attempt++) {
    const tip = await backend.tip(branch)
    if (!tip)
      throw new DeliveryError(
        `Branch ${branch} does not exist. Create it, or set \`branch\` to one that does`
      )
    await prepare(tip)
    const changed = await backend.changedFiles(tip, files)
    if (changed.length === 0) return { changed }
    const commitSha = await backend.createCommit(tip, changed, commitMessage(firstLine, changed))
    if (await backend.moveBranch(branch, commitSha, false)) return { changed, commitSha }
    log.info(
      `Branch ${branch} moved while committing; rebuilding the commit on its new tip (try ${attempt + 1} of ${MAX_PUSH_ATTEMPTS})`
    )
    await new Promise(resolve => setTimeout(resolve, Math.random() * MAX_REBUILD_PAUSE_MS))
  }
  throw new DeliveryError(
    `Branch ${branch} kept moving: gave up after ${MAX_PUSH_ATTEMPTS} tries. Re-run the job; where other jobs keep pushing to the branch, commit to a branch of its own (\`branch\`), or, without \`shard\`, use \`commit: pull-request\``
  )
}

/**
 * Prepares the action's own pull-request branch: one commit with the changes on the current
 * base tip. The branch is reset only when its content would differ, so an unchanged collection
 * leaves it, and the pull request, untouched.
 */
export async function preparePullRequestBranch(
  backend: CommitBackend,
  base: string,
  head: string,
  files: readonly DeliveredFile[],
  firstLine: string
): Promise<PreparedBranch> {
  const baseTip = await backend.tip(base)
  if (!baseTip)
    throw new DeliveryError(
      `Base branch ${base} does not exist. Set \`branch\` to the branch the pull request should target`
    )
  const changed = await backend.changedFiles(baseTip, files)
  if (changed.length === 0) return { changed, baseTip }

  const headTip = await backend.tip(head)
  if (headTip && (await isUpToDate(backend, headTip, baseTip, files))) {
    return { changed, commitSha: headTip, baseTip }
  }
  const commitSha = await backend.createCommit(baseTip, changed, commitMessage(firstLine, changed))
  await backend.moveBranch(head, commitSha, true)
  return { changed, commitSha, baseTip }
}

async function isUpToDate(
  backend: CommitBackend,
  headTip: string,
  baseTip: string,
  files: readonly DeliveredFile[]
): Promise<boolean> {
  const parents = await backend.parents(headTip)
  if (parents.length !== 1 || parents[0] !== baseTip) return false
  return (await backend.changedFiles(headTip, files)).length === 0
}
