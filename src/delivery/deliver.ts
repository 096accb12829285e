import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ActionError } from '../errors.js'
import type { DeliveryInputs } from '../inputs/inputs.js'
import type { LockedFile } from '../lockfile.js'
import { workspaceRelative } from '../naming.js'
import type { Logger } from '../report/log.js'
import type { FileRecord } from '../report/summary.js'
import { ApiBackend } from './api-backend.js'
import { uploadArtifact, type ArtifactResult } from './artifact.js'
import type { CommitBackend } from './backend.js'
import { resolveTargetBranch } from './branch.js'
import { commitToBranch, preparePullRequestBranch } from './commit.js'
import { checkCommitSizes, type LocalFile } from './files.js'
import {
  DeliveryError,
  connectGitHub,
  explainGitHubError,
  repositoryFromEnv,
  type Octokit,
  type Repository
} from './github.js'
import { GitBackend } from './git-backend.js'
import {
  closeObsoletePullRequest,
  openOrUpdatePullRequest,
  type PullRequestResult
} from './pull-request.js'

/** What delivery did, for the outputs and the job summary. */
export interface DeliveryOutcome {
  /** Undefined when `commit` is none. */
  changed?: boolean
  branch?: string
  changedFiles: LocalFile[]
  commitSha?: string
  pullRequest?: PullRequestResult
  /** An open pull request that had nothing left to propose. */
  closedPullRequest?: number
  artifact?: ArtifactResult
}

/** Delivery as the summary and outputs see it: done, skipped, or failed. */
export interface DeliveryReport {
  outcome?: DeliveryOutcome
  skipped?: string
  error?: ActionError
}

/** The pulled files, the lockfile beside them, and the pruned files as deletions. */
export async function deliveryFiles(
  records: readonly FileRecord[],
  workspace: string,
  lockfile: string | undefined,
  pruned: readonly LockedFile[]
): Promise<LocalFile[]> {
  const files: LocalFile[] = records.map(record => ({
    repoPath: record.path,
    absolutePath: path.join(workspace, record.path),
    entry: record.entry,
    format: record.format,
    bytes: record.bytes
  }))
  const lockfileStats = lockfile && (await stat(lockfile).catch(() => undefined))
  if (lockfile && lockfileStats) {
    files.push({
      repoPath: workspaceRelative(workspace, lockfile),
      absolutePath: lockfile,
      entry: null,
      format: 'lockfile',
      bytes: lockfileStats.size
    })
  }
  for (const file of pruned) {
    files.push({
      repoPath: file.path,
      absolutePath: path.join(workspace, file.path),
      entry: file.entry,
      format: file.format,
      bytes: 0,
      deleted: true
    })
  }
  return files
}

export function wantsDelivery(inputs: DeliveryInputs): boolean {
  return inputs.commit !== 'none' || inputs.uploadArtifact
}

/** `files` holds the pulled files, the lockfile, and the pruned files marked deleted. */
export async function deliver(
  inputs: DeliveryInputs,
  files: LocalFile[],
  workspace: string,
  log: Logger
): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome =
    inputs.commit === 'none'
      ? { changedFiles: [] }
      : await commitFiles(inputs, files, workspace, log)
  if (inputs.uploadArtifact) {
    outcome.artifact = await uploadArtifact(
      inputs.artifactName,
      files,
      workspace,
      inputs.retentionDays
    )
    log.info(
      `Uploaded artifact ${outcome.artifact.name} (id ${outcome.artifact.id}): ${outcome.artifact.url}`
    )
  }
  return outcome
}

async function commitFiles(
  inputs: DeliveryInputs,
  files: LocalFile[],
  workspace: string,
  log: Logger
): Promise<DeliveryOutcome> {
  const sizes = checkCommitSizes(files, inputs.commitMethod)
  for (const warning of sizes.warnings) log.warning(warning)
  if (sizes.errors.length > 0)
    throw new DeliveryError(`Cannot commit:\n${sizes.errors.map(error => `- ${error}`).join('\n')}`)

  const repository = repositoryFromEnv(process.env)
  const octokit = await connectGitHub(inputs.githubToken)
  const backend: CommitBackend =
    inputs.commitMethod === 'git' ? new GitBackend(workspace) : new ApiBackend(octokit, repository)
  const branch = await resolveTargetBranch(
    inputs.branch,
    { ref: process.env.GITHUB_REF, headRef: process.env.GITHUB_HEAD_REF },
    () => defaultBranch(octokit, repository)
  )

  if (inputs.commit === 'push') {
    const result = await commitToBranch(backend, branch, files, inputs.commitMessage, log)
    log.info(
      result.commitSha
        ? `Committed ${result.changed.length} changed files to ${branch}: ${result.commitSha}`
        : `No file differs from ${branch}: nothing to commit`
    )
    return {
      changed: result.changed.length > 0,
      branch,
      changedFiles: result.changed,
      commitSha: result.commitSha
    }
  }

  const prepared = await preparePullRequestBranch(
    backend,
    branch,
    inputs.pullRequestBranch,
    files,
    inputs.commitMessage
  )
  if (prepared.changed.length === 0) {
    const closed = await closeObsoletePullRequest(octokit, repository, {
      base: branch,
      head: inputs.pullRequestBranch
    })
    log.info(
      `No file differs from ${branch}: no pull request needed${closed ? `; closed the obsolete #${closed}` : ''}`
    )
    return { changed: false, branch, changedFiles: [], closedPullRequest: closed }
  }
  const pullRequest = await openOrUpdatePullRequest(octokit, repository, {
    base: branch,
    head: inputs.pullRequestBranch,
    title: inputs.pullRequestTitle,
    labels: inputs.pullRequestLabels,
    changed: prepared.changed
  })
  log.info(
    `${pullRequest.created ? 'Opened' : 'Updated'} pull request #${pullRequest.number}: ${pullRequest.url}`
  )
  return {
    changed: true,
    branch,
    changedFiles: prepared.changed,
    commitSha: prepared.commitSha,
    pullRequest
  }
}

async function defaultBranch(octokit: Octokit, repository: Repository): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.get({ ...repository })
    return data.default_branch
  } catch (error) {
    throw explainGitHubError(error, 'read the repository', 'contents')
  }
}
