// The inputs that say where the pulled files go after the run: a commit, a pull request, an
// artifact.

import { InputError } from '../errors.js'
import type { InputValue } from './spec.js'
import { parseBoolean, parseChoice, parseInteger, type InputCheck } from './values.js'

export type CommitMode = 'none' | 'push' | 'pull-request'
export type CommitMethod = 'api' | 'git'

export interface DeliveryInputs {
  commit: CommitMode
  /** Empty: the branch the run is on, or the default branch on tag and detached runs. */
  branch: string
  commitMethod: CommitMethod
  commitMessage: string
  githubToken: string
  /** Empty: the action's own, one per base branch (headBranchFor in delivery). */
  pullRequestBranch: string
  /** Where a pull request's preview pictures are committed, one commit on the base's tip. */
  previewsBranch: string
  pullRequestTitle: string
  pullRequestLabels: string[]
  /** Opened as a draft; an open pull request keeps the state a reviewer gave it. */
  pullRequestDraft: boolean
  pullRequestReviewers: string[]
  pullRequestTeamReviewers: string[]
  pullRequestAssignees: string[]
  /** Undefined: no milestone. */
  pullRequestMilestone?: number
  uploadArtifact: boolean
  artifactName: string
  /** Undefined: the repository's default. */
  retentionDays?: number
}

/** The action's own head branches, when `pull-request-branch` is empty: this, and this-BRANCH. */
export const OWN_HEAD_BRANCH = 'echo3d/assets'

/** Whether the action's own pull requests, with `pull-request-branch` empty, come from `name`. */
export function isOwnHeadBranch(name: string): boolean {
  return name === OWN_HEAD_BRANCH || name.startsWith(`${OWN_HEAD_BRANCH}-`)
}

const COMMIT_MODES: readonly CommitMode[] = ['none', 'push', 'pull-request']
const COMMIT_METHODS: readonly CommitMethod[] = ['api', 'git']
const MAX_RETENTION_DAYS = 90

export function parseDeliveryInputs(value: InputValue, check: InputCheck): DeliveryInputs {
  const commit = check.attempt(() => parseChoice('commit', value('commit'), COMMIT_MODES), 'none')
  const branch = check.attempt(() => parseBranchName('branch', value('branch'), true), '')
  const pullRequestBranch = check.attempt(
    () => parseBranchName('pull-request-branch', value('pull-request-branch'), true),
    ''
  )
  const githubToken = value('github-token')
  check.attempt(() => checkTokenGiven(commit, githubToken), undefined)
  check.attempt(() => checkBranchesDiffer(commit, branch, pullRequestBranch), undefined)
  return {
    commit,
    branch,
    commitMethod: check.attempt(
      () => parseChoice('commit-method', value('commit-method'), COMMIT_METHODS),
      'api'
    ),
    commitMessage: value('commit-message').split(/\r?\n/)[0],
    githubToken,
    pullRequestBranch,
    previewsBranch: check.attempt(
      () => parsePreviewsBranch(value('previews-branch'), branch, pullRequestBranch),
      ''
    ),
    pullRequestTitle: value('pull-request-title'),
    pullRequestLabels: names(value('pull-request-labels')),
    pullRequestDraft: check.attempt(
      () => parseBoolean('pull-request-draft', value('pull-request-draft')),
      false
    ),
    pullRequestReviewers: names(value('pull-request-reviewers')),
    pullRequestTeamReviewers: names(value('pull-request-team-reviewers')),
    pullRequestAssignees: names(value('pull-request-assignees')),
    pullRequestMilestone: check.attempt(
      () => parseMilestone(value('pull-request-milestone')),
      undefined
    ),
    uploadArtifact: check.attempt(
      () => parseBoolean('upload-artifact', value('upload-artifact')),
      false
    ),
    artifactName: check.attempt(() => parseArtifactName(value('artifact-name')), ''),
    retentionDays: check.attempt(() => parseRetentionDays(value('retention-days')), undefined)
  }
}

function checkTokenGiven(commit: CommitMode, githubToken: string): void {
  if (commit === 'none' || githubToken) return
  throw new InputError(
    'github-token',
    `it is empty, and \`commit: ${commit}\` needs it`,
    'Leave it at its default (${{ github.token }}) or pass a token with contents: write'
  )
}

function checkBranchesDiffer(commit: CommitMode, branch: string, pullRequestBranch: string): void {
  if (commit !== 'pull-request' || !branch) return
  if (pullRequestBranch && branch === pullRequestBranch) {
    throw new InputError(
      'pull-request-branch',
      `it is the same as \`branch\` (${branch})`,
      'Use a branch of its own for the pull request, or leave it empty'
    )
  }
  if (!pullRequestBranch && isOwnHeadBranch(branch)) {
    throw new InputError(
      'branch',
      `${branch} is a branch the action's own pull requests come from, and each run rebuilds it`,
      'Name the branch the pull request should go into'
    )
  }
}

/**
 * The previews' branch is force-moved each run: never one that holds anything else, nor one the
 * pull request may come from.
 */
function parsePreviewsBranch(raw: string, branch: string, pullRequestBranch: string): string {
  const name = parseBranchName('previews-branch', raw, false)
  const head = pullRequestBranch ? name === pullRequestBranch : isOwnHeadBranch(name)
  if (name !== branch && !head) return name
  throw new InputError(
    'previews-branch',
    `it is \`branch\` or a branch the pull request comes from (${name}), and each run replaces it`,
    'Use a branch of its own for the pictures, such as echo3d-assets/previews'
  )
}

/** The rules of git check-ref-format, for branch names. */
export function parseBranchName(input: string, raw: string, allowEmpty: boolean): string {
  const name = raw.trim().replace(/^refs\/heads\//, '')
  if (!name && allowEmpty) return ''
  const invalid =
    !name ||
    /[\s~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.lock$|^-|\.$/.test(name) ||
    name.split('/').some(part => part.startsWith('.')) ||
    [...name].some(character => character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f)
  if (invalid) {
    throw new InputError(
      input,
      `'${name}' is not a valid branch name`,
      'Use a name such as main or echo3d/assets'
    )
  }
  return name
}

function parseArtifactName(raw: string): string {
  const name = raw.trim()
  if (/["':<>|*?\\/\r\n]/.test(name)) {
    throw new InputError(
      'artifact-name',
      `'${name}' holds a character artifact names cannot have`,
      'Leave out " : < > | * ? \\ / and line breaks'
    )
  }
  return name
}

/** A comma or newline separated list of names: labels, users, teams. */
function names(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map(name => name.trim())
    .filter(Boolean)
}

function parseMilestone(raw: string): number | undefined {
  if (!raw.trim()) return undefined
  return parseInteger('pull-request-milestone', raw, 1, 1_000_000)
}

function parseRetentionDays(raw: string): number | undefined {
  if (!raw.trim()) return undefined
  return parseInteger('retention-days', raw, 1, MAX_RETENTION_DAYS)
}
