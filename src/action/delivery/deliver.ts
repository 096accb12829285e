// Delivery: the pulled files, the lockfile and the pruned files, committed to a branch, proposed in
// a pull request, or uploaded as an artifact.

import * as core from '@actions/core'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import {
  MAX_LOCKFILE_BYTES,
  mergeShardRecords,
  parseLockfile,
  type ShardConflict,
  workspaceRelative,
  writeLockfile
} from '../../engine/index.js'
import { DeliveryError, ExplainedError, InputError, errorMessage } from '../../errors.js'
import { forLog } from '../../escape.js'
import { plural } from '../../quantities.js'
import type {
  DeliveredFile,
  DeliveryOutcome,
  DeliveryReport,
  FileRecord,
  PullReport,
  Shard,
  UnityReport
} from '../../model.js'
import { isOwnHeadBranch, OWN_HEAD_BRANCH, type DeliveryInputs } from '../../settings/delivery.js'
import type { Logger } from '../log.js'
import { ApiBackend } from './api-backend.js'
import { uploadArtifact } from './artifact.js'
import type { CommitBackend } from './backend.js'
import { commitToBranch, preparePullRequestBranch } from './commit.js'
import { chooseBackend, type ChosenBackend } from './commit-method.js'
import { checkCommitSizes, largeFilePaths } from './files.js'
import {
  botIdentity,
  connectGitHub,
  explainGitHubError,
  isEnterpriseServer,
  repositoryFromEnv,
  type Octokit,
  type Repository
} from './github.js'
import { GitBackend } from './git-backend.js'
import { commitPictures, uploadPictures } from './pictures.js'
import {
  closeObsoletePullRequest,
  isPullRequestOpen,
  openOrUpdatePullRequest,
  refuseHeadOfAnotherBase
} from './pull-request.js'
import { BlobPace } from './rate-limits.js'
import { modelChanges, type ModelChange } from '../../report/model-review.js'
import type { BudgetBreach, Previews } from '../../model.js'

/** Where the run's files are, and how long one request to GitHub or one git command may take. */
export interface DeliveryScene {
  workspace: string
  /** Absolute: the folder the lockfile's records lie in. */
  destination: string
  lockfile?: string
  timeoutMs: number
  /** This job's part of a selection split over a matrix. */
  shard?: Shard
  /** The pictures of the models, for the pull request's description and the summary. */
  pictures?: Previews
  /** What changed inside the models, for the pull request's description. */
  review?: readonly ModelChange[]
  /** A Unity project's `.meta` files and import warnings, for the pull request's description. */
  unity?: UnityReport
  /** Models over budget, at the top of the pull request's description. */
  overBudget?: readonly BudgetBreach[]
  /** `budget-mode: warn`: a commit may push models over budget. */
  pushOverBudget?: boolean
  /** How long one of GitHub's seconds lasts, in its limits' waits and the pacing: 1,000 but in tests. */
  githubSecondMs?: number
}

/**
 * Delivery is all or nothing: when any asset failed, nothing is committed or uploaded, so a
 * branch never receives half a refresh. Its own failure is reported, not thrown, so that the
 * summary can say what happened before the step fails.
 */
export async function deliverReport(
  inputs: DeliveryInputs,
  report: PullReport,
  scene: DeliveryScene,
  log: Logger
): Promise<DeliveryReport> {
  if (!wantsDelivery(inputs)) return { kind: 'none' }
  if (report.failures.length > 0) {
    const reason = `${plural(report.failures.length, 'asset')} failed, so nothing was committed or uploaded`
    return { kind: 'skipped', reason }
  }
  if (inputs.commit === 'push' && report.overBudget.length > 0 && !scene.pushOverBudget) {
    const reason = `${plural(report.overBudget.length, 'budget')} broken, so nothing was pushed or uploaded. Raise the budgets, or set \`budget-mode: warn\` to push anyway`
    return { kind: 'skipped', reason }
  }
  try {
    const files = await deliveryFiles(report, scene)
    const reviewed = {
      ...scene,
      review: modelChanges(report.files),
      overBudget: report.overBudget,
      unity: report.unity
    }
    const outcome = await core.group('Delivering', () => deliver(inputs, files, reviewed, log))
    return { kind: 'done', outcome }
  } catch (error) {
    const explained =
      error instanceof ExplainedError
        ? error
        : new DeliveryError(`Delivery failed: ${errorMessage(error)}`)
    return { kind: 'failed', error: explained }
  }
}

/** The pulled files, the lockfile beside them, and the pruned files as deletions. */
async function deliveryFiles(report: PullReport, scene: DeliveryScene): Promise<DeliveredFile[]> {
  const files = report.files.map(file => delivered(file, scene.workspace))
  const lockfileStats = scene.lockfile && (await stat(scene.lockfile).catch(() => undefined))
  if (scene.lockfile && lockfileStats) {
    files.push({
      path: workspaceRelative(scene.workspace, scene.lockfile),
      absolutePath: scene.lockfile,
      entry: null,
      format: 'lockfile',
      bytes: lockfileStats.size
    })
  }
  for (const file of report.pruned) {
    files.push({ ...delivered(file, scene.workspace), bytes: 0, deleted: true })
  }
  return [...files, ...(await metaFiles(report.unity, scene.workspace))]
}

/**
 * A Unity project's `.meta` files: written, moved along or already there (as the models, each is
 * sent and only a difference from the branch is committed, so a run that did not deliver them is
 * made good by the next), and deleted with what they were for. One without a GUID the action
 * could read (a link, say) is not sent.
 */
async function metaFiles(
  unity: UnityReport | undefined,
  workspace: string
): Promise<DeliveredFile[]> {
  if (!unity) return []
  const meta = (metaPath: string, bytes: number, deleted: boolean): DeliveredFile => ({
    path: metaPath,
    absolutePath: path.join(workspace, metaPath),
    entry: null,
    format: 'meta',
    bytes,
    ...(deleted ? { deleted } : {})
  })
  const present = [...unity.written, ...unity.kept.filter(file => file.guid !== undefined)]
  const written = await Promise.all(
    present.map(async file => {
      const { size } = await stat(path.join(workspace, file.path))
      return meta(file.path, size, false)
    })
  )
  const gone = [...unity.removed, ...unity.written.flatMap(file => file.movedFrom ?? [])]
  return [...written, ...gone.map(metaPath => meta(metaPath, 0, true))]
}

function delivered(file: FileRecord, workspace: string): DeliveredFile {
  return {
    path: file.path,
    absolutePath: path.join(workspace, file.path),
    entry: file.entry,
    format: file.format,
    bytes: file.bytes,
    ...(file.model ? { model: file.model } : {}),
    ...(file.optimized ? { optimized: file.optimized } : {})
  }
}

/**
 * Delivery that cannot work here fails before anything is downloaded: @actions/artifact speaks
 * a protocol that GitHub Enterprise Server does not have.
 */
export function checkDeliveryPossible(inputs: DeliveryInputs, serverUrl: string | undefined): void {
  if (!inputs.uploadArtifact || !isEnterpriseServer(serverUrl)) return
  throw new InputError(
    'upload-artifact',
    'GitHub Enterprise Server has no support for the artifact service this action uploads to',
    'Upload the files with actions/upload-artifact@v3 in a step of their own (the files are in `path`), or deliver them with `commit`'
  )
}

function wantsDelivery(inputs: DeliveryInputs): boolean {
  return inputs.commit !== 'none' || inputs.uploadArtifact
}

/** `files` holds the pulled files, the lockfile, and the pruned files marked deleted. */
async function deliver(
  inputs: DeliveryInputs,
  files: DeliveredFile[],
  scene: DeliveryScene,
  log: Logger
): Promise<DeliveryOutcome> {
  const committed: DeliveryOutcome =
    inputs.commit === 'none' ? { changedFiles: [] } : await commitFiles(inputs, files, scene, log)
  if (!inputs.uploadArtifact) return committed
  const artifact = await uploadArtifact(
    artifactName(inputs.artifactName, scene.shard),
    artifactFiles(files, scene.shard),
    scene.workspace,
    inputs.retentionDays
  )
  log.info(`Uploaded artifact ${artifact.name} (id ${artifact.id}): ${artifact.url}`)
  // An artifact of their own: in the files', the pictures would land in the build that takes it.
  const picturesName = artifactName(`${inputs.artifactName}-previews`, scene.shard)
  const pictures = await uploadPictures(picturesName, scene.pictures, inputs.retentionDays, log)
  return { ...committed, artifact, ...pictures }
}

/** Each shard uploads an artifact of its own, which a later job downloads with the others. */
function artifactName(name: string, shard: Shard | undefined): string {
  return shard ? `${name}-shard-${shard.index}-of-${shard.count}` : name
}

/**
 * An artifact holds the files there are, not the pruned ones. A shard's lockfile holds other
 * shards' records as the checkout had them: only a commit can merge it with theirs, so a shard's
 * artifact carries its files without it.
 */
function artifactFiles(files: DeliveredFile[], shard: Shard | undefined): DeliveredFile[] {
  const present = files.filter(file => !file.deleted)
  return shard ? present.filter(file => file.format !== 'lockfile') : present
}

async function commitFiles(
  inputs: DeliveryInputs,
  files: DeliveredFile[],
  scene: DeliveryScene,
  log: Logger
): Promise<DeliveryOutcome> {
  const git = new GitBackend(
    scene.workspace,
    botIdentity(process.env.GITHUB_SERVER_URL),
    scene.timeoutMs
  )
  await refuseOversizedFiles(files, inputs, git, log)
  const target = await commitTarget(inputs, files, scene, git, log)
  const outcome =
    inputs.commit === 'push'
      ? await pushToBranch(target, files, inputs, scene, log)
      : await proposeChanges(target, files, inputs, scene, log)
  return { ...outcome, gitInsteadOfApi: target.gitInsteadOfApi }
}

/** Where and how a commit goes: the repository, its API, the commit backend and the branch. */
interface CommitTarget extends ChosenBackend {
  repository: Repository
  octokit: Octokit
  branch: string
  /** The repository's default branch, asked of GitHub once. */
  defaultBranch: () => Promise<string>
}

/** Files past what GitHub takes fail the delivery before anything is sent; near it, a warning. */
async function refuseOversizedFiles(
  files: DeliveredFile[],
  inputs: DeliveryInputs,
  git: GitBackend,
  log: Logger
): Promise<void> {
  const large = largeFilePaths(files)
  const viaGit = inputs.commitMethod === 'git' && large.length > 0
  const lfsTracked = viaGit ? await git.lfsTracked(large) : new Set<string>()
  const sizes = checkCommitSizes(files, inputs.commitMethod, lfsTracked)
  for (const warning of sizes.warnings) log.warning(warning)
  if (sizes.errors.length > 0)
    throw new DeliveryError(`Cannot commit:\n${sizes.errors.map(error => `- ${error}`).join('\n')}`)
}

async function commitTarget(
  inputs: DeliveryInputs,
  files: readonly DeliveredFile[],
  scene: DeliveryScene,
  git: GitBackend,
  log: Logger
): Promise<CommitTarget> {
  const repository = repositoryFromEnv(process.env)
  const secondMs = scene.githubSecondMs ?? 1000
  const { timeoutMs } = scene
  const octokit = await connectGitHub({ token: inputs.githubToken, timeoutMs, log, secondMs })
  let asked: Promise<string> | undefined
  const defaultBranchOnce = () => (asked ??= defaultBranch(octokit, repository))
  const branch = await resolveTargetBranch(
    inputs.branch,
    { ref: process.env.GITHUB_REF, headRef: process.env.GITHUB_HEAD_REF },
    defaultBranchOnce
  )
  const backends = { api: new ApiBackend(octokit, repository, new BlobPace(secondMs)), git }
  const chosen = await chooseBackend(inputs.commitMethod, backends, branch, files, log)
  return { repository, octokit, branch, defaultBranch: defaultBranchOnce, ...chosen }
}

/** `commit: push`: one commit on the branch, when anything differs from it. */
async function pushToBranch(
  target: CommitTarget,
  files: DeliveredFile[],
  inputs: DeliveryInputs,
  scene: DeliveryScene,
  log: Logger
): Promise<DeliveryOutcome> {
  const { backend, branch } = target
  const prepare = shardLockfileMerge(backend, files, scene)
  const result = await commitToBranch(backend, branch, files, inputs.commitMessage, log, prepare)
  log.info(
    result.commitSha
      ? `Committed ${result.changed.length} changed files to ${branch}: ${result.commitSha}`
      : `No file differs from ${branch}: nothing to commit`
  )
  const pictures = result.commitSha
    ? await linkPreviews(target, result.commitSha, inputs, scene, log)
    : {}
  return {
    changed: result.changed.length > 0,
    branch,
    changedFiles: result.changed,
    commitSha: result.commitSha,
    ...pictures
  }
}

/** The pictures committed on `baseTip` to the previews branch, with URLs pinned to that commit. */
function linkPreviews(
  { backend, repository, branch }: CommitTarget,
  baseTip: string,
  inputs: DeliveryInputs,
  scene: DeliveryScene,
  log: Logger
): Promise<Pick<DeliveryOutcome, 'previews' | 'previewsProblem'>> {
  const serverUrl = process.env.GITHUB_SERVER_URL ?? 'https://github.com'
  const target = { backend, repository, baseTip, branch: inputs.previewsBranch, serverUrl }
  return commitPictures({ ...target, deliveryBranch: branch }, scene.pictures, log)
}

/**
 * `commit: pull-request`: the changes on their own branch and a pull request opened or updated;
 * with nothing left to propose, an open pull request is closed.
 */
async function proposeChanges(
  target: CommitTarget,
  files: DeliveredFile[],
  inputs: DeliveryInputs,
  scene: DeliveryScene,
  log: Logger
): Promise<DeliveryOutcome> {
  const { repository, octokit, backend, branch } = target
  const head = await headBranchFor(branch, inputs.pullRequestBranch, target)
  await refuseHeadOfAnotherBase(octokit, repository, { base: branch, head })
  const prepared = await preparePullRequestBranch(
    backend,
    branch,
    head,
    files,
    inputs.commitMessage
  )
  if (prepared.changed.length === 0) {
    const closed = await closeObsoletePullRequest(octokit, repository, { base: branch, head })
    log.info(
      `No file differs from ${branch}: no pull request needed${closed ? `; closed the obsolete #${closed}` : ''}`
    )
    return { changed: false, branch, changedFiles: [], closedPullRequest: closed }
  }
  const pictures = await linkPreviews(target, prepared.baseTip, inputs, scene, log)
  const pullRequest = await openOrUpdatePullRequest(octokit, repository, {
    base: branch,
    head,
    title: inputs.pullRequestTitle,
    labels: inputs.pullRequestLabels,
    draft: inputs.pullRequestDraft,
    reviewers: inputs.pullRequestReviewers,
    teamReviewers: inputs.pullRequestTeamReviewers,
    assignees: inputs.pullRequestAssignees,
    milestone: inputs.pullRequestMilestone,
    changed: prepared.changed,
    review: scene.review ?? [],
    overBudget: scene.overBudget ?? [],
    previews: pictures.previews ?? [],
    unity: scene.unity
  })
  log.info(
    `${pullRequest.created ? 'Opened' : 'Updated'} pull request #${pullRequest.number}: ${pullRequest.url}`
  )
  const { commitSha } = prepared
  const changedFiles = prepared.changed
  return {
    changed: true,
    branch,
    changedFiles,
    commitSha,
    pullRequest,
    ...pictures
  }
}

/**
 * The head branch of the pull request into `base`: the one the input names, else one of the
 * action's own per base, so that runs on two branches never rebuild each other's pull request.
 * The default branch's keeps the plain name, and so does an open pull request that had it before
 * there was one per base. A run on a head branch has nothing to propose.
 */
async function headBranchFor(base: string, input: string, target: CommitTarget): Promise<string> {
  if (base === input || (!input && isOwnHeadBranch(base))) {
    throw new DeliveryError(
      `This run is on ${base}, a pull request's own branch, which each run rebuilds: there is nothing to propose from it. Run the workflow on the branch the pull request should go into, or set \`branch\` to it`
    )
  }
  if (input) return input
  if (base === (await target.defaultBranch())) return OWN_HEAD_BRANCH
  const plain = { base, head: OWN_HEAD_BRANCH }
  if (await isPullRequestOpen(target.octokit, target.repository, plain)) return OWN_HEAD_BRANCH
  return `${OWN_HEAD_BRANCH}-${base}`
}

/**
 * Shards commit to one branch at once: before each try, the lockfile takes the other shards'
 * records from the branch's tip and keeps this shard's, so that whatever the order, the branch
 * ends with one complete lockfile.
 */
function shardLockfileMerge(
  backend: CommitBackend,
  files: DeliveredFile[],
  scene: DeliveryScene
): ((tip: string) => Promise<void>) | undefined {
  const { shard, lockfile } = scene
  const lockfileFile = files.find(file => file.format === 'lockfile')
  if (!shard || !lockfile || !lockfileFile) return undefined
  const destination = workspaceRelative(scene.workspace, scene.destination)
  let ours: FileRecord[] | undefined
  return async tip => {
    ours ??= parseLockfile(await readFile(lockfile, 'utf8'), destination)
    const records = ours
    const onBranch = await backend.readText(tip, lockfileFile.path, MAX_LOCKFILE_BYTES)
    const theirs = onBranch === undefined ? undefined : parseOrUndefined(onBranch, destination)
    const merged = mergeShardRecords(theirs ?? records, records, shard)
    if (merged.conflicts.length > 0) throw shardConflicts(merged.conflicts, shard)
    await writeLockfile(scene.workspace, lockfile, merged.records)
    lockfileFile.bytes = (await stat(lockfile)).size
  }
}

function shardConflicts(conflicts: readonly ShardConflict[], shard: Shard): DeliveryError {
  // The other shard's entry comes from the lockfile on the branch, which anyone may have pushed.
  const lines = conflicts.map(
    conflict =>
      `- ${forLog(conflict.path)}: entry ${forLog(conflict.ours)} of this shard, and ${forLog(conflict.theirs)} of another`
  )
  return new DeliveryError(
    `Shard ${shard.index} of ${shard.count} and another shard write the same files; nothing was committed:\n${lines.join('\n')}\nMake the names unique, for example with {entry} in \`file-name\``
  )
}

/** A lockfile on the branch that is not one is replaced, as a pull would replace it. */
function parseOrUndefined(text: string, destination: string): FileRecord[] | undefined {
  try {
    return parseLockfile(text, destination)
  } catch {
    return undefined
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

/** Which branch to deliver to: the runner's variables, and a way to ask for the default branch. */
interface RunRefs {
  /** GITHUB_REF: refs/heads/…, refs/tags/…, refs/pull/…/merge */
  ref?: string
  /** GITHUB_HEAD_REF: the source branch of a pull_request run. */
  headRef?: string
}

export async function resolveTargetBranch(
  input: string,
  refs: RunRefs,
  defaultBranch: () => Promise<string>
): Promise<string> {
  if (input) return input
  if (refs.headRef) return refs.headRef
  if (refs.ref?.startsWith('refs/heads/')) return refs.ref.slice('refs/heads/'.length)
  // A tag, a detached checkout or a merge ref: no branch to stay on.
  return defaultBranch()
}
