// The action's pull request: opened, updated or closed, never duplicated.

import { DeliveryError } from '../../errors.js'
import { forMarkdown } from '../../escape.js'
import { plural } from '../../quantities.js'
import type {
  BudgetBreach,
  DeliveredFile,
  LinkedPreview,
  PullRequestResult,
  UnityReport
} from '../../model.js'
import {
  decoderNote,
  OPTIMIZATION_COLUMNS,
  optimizationCells,
  optimizationTotals,
  optimizedFiles,
  sizeWithSaving
} from '../../report/optimization.js'
import {
  missingPictureText,
  modelCaption,
  pictureUrl,
  type PictureSide
} from '../../report/preview-rows.js'
import { characters, linesOf, TextCap, type Lines } from '../../report/text-cap.js'
import {
  BUDGET_COLUMNS,
  breachCells,
  REVIEW_COLUMNS,
  reviewCells,
  type ModelChange
} from '../../report/model-review.js'
import { explainGitHubError, type Octokit, type Repository } from './github.js'

export interface PullRequestRequest {
  base: string
  head: string
  title: string
  labels: string[]
  draft: boolean
  reviewers: string[]
  teamReviewers: string[]
  assignees: string[]
  milestone?: number
  changed: readonly DeliveredFile[]
  /** What changed inside the models, shown above the list of files. */
  review: readonly ModelChange[]
  /** Models over budget, shown first, for a person to decide. */
  overBudget: readonly BudgetBreach[]
  /** Pictures of the models, before and after, linked from the previews branch. */
  previews?: readonly LinkedPreview[]
  /** A Unity project's `.meta` files and import warnings. */
  unity?: UnityReport
}

/** What the description shows above the list of files. */
export type BodySections = Partial<
  Pick<PullRequestRequest, 'review' | 'overBudget' | 'previews' | 'unity'>
>

/** GitHub refuses a body over 65,536 characters; the rest is room for the closing lines. */
const PULL_REQUEST_BODY_LIMIT = 60_000

export function pullRequestBody(
  changed: readonly DeliveredFile[],
  sections: BodySections = {}
): string {
  const body = new TextCap(PULL_REQUEST_BODY_LIMIT, characters)
  const breaches = budgetSection(body, sections.overBudget ?? [])
  const pictures = previewSection(body, sections.previews ?? [])
  const models = reviewSection(body, sections.review ?? [])
  const optimized = optimizationSection(body, changed)
  const unity = unitySection(body, changed, sections.unity)
  const listed = changed.filter(file => file.format !== 'meta')
  const { kept, omitted } = body.takeLines(tableRows(listed))
  const leftOut =
    omitted > 0
      ? [
          '',
          `…and ${plural(omitted, 'more file')}, left out to keep this description within GitHub's limit. The commit lists every file.`
        ]
      : []
  return [
    `This pull request updates ${plural(changed.length, 'file')} pulled from echo3D.`,
    ...breaches,
    ...pictures,
    ...models,
    ...optimized,
    ...unity,
    '',
    '| File | Entry | Format | Size |',
    '| --- | --- | --- | --- |',
    ...kept,
    ...leftOut,
    '',
    'Made by the echo3D assets action. Each run rebuilds this branch on the base branch, so do not push to it by hand.'
  ].join('\n')
}

/** The `.meta` files, counted, and what the project needs to import the models, said once. */
function unitySection(
  body: TextCap,
  changed: readonly DeliveredFile[],
  unity: UnityReport | undefined
): string[] {
  if (!unity) return []
  const metas = changed.filter(file => file.format === 'meta')
  const removed = metas.filter(file => file.deleted).length
  const counts = `${plural(metas.length - removed, '`.meta` file')} added or updated and ${removed} removed with the files and folders they belong to. Their GUIDs come from the files' paths, so every run gives a file the same one; a \`.meta\` already in the project is never rewritten.`
  // The action's own sentences, with counts and package names only: Markdown as they are.
  const warnings = unity.importWarnings.map(text => `- ⚠️ ${text}`)
  return placed(body, [
    '',
    '### Unity',
    '',
    counts,
    ...(warnings.length > 0 ? ['', ...warnings] : [])
  ])
}

/** The broken budgets, first: the refresh is proposed anyway, for a person to decide. */
function budgetSection(body: TextCap, breaches: readonly BudgetBreach[]): string[] {
  if (breaches.length === 0) return []
  const room = new TextCap(PULL_REQUEST_BODY_LIMIT / 4, characters)
  const { kept, omitted } = room.takeLines(breachRows(breaches))
  const lines = [
    '',
    `### ⚠️ Over budget: ${plural(breaches.length, 'limit')} broken`,
    '',
    'These models break the budgets set for them. Review them before merging.',
    '',
    `| ${BUDGET_COLUMNS.join(' | ')} |`,
    `| ${BUDGET_COLUMNS.map(() => '---').join(' | ')} |`,
    ...kept
  ]
  if (omitted > 0) lines.push('', `…and ${plural(omitted, 'more')}; the job summary lists them.`)
  return placed(body, lines)
}

/** The lines the description still has room for: GitHub refuses a longer body. */
function placed(body: TextCap, lines: readonly string[]): string[] {
  return body.takeLines(lines).kept
}

function breachRows(breaches: readonly BudgetBreach[]): Lines {
  return linesOf(breaches, breach => `| ${breachCells(breach).map(forMarkdown).join(' | ')} |`)
}

/** Each model's pictures, before and after, within a quarter of the description's room. */
function previewSection(body: TextCap, previews: readonly LinkedPreview[]): string[] {
  if (previews.length === 0) return []
  const room = new TextCap(PULL_REQUEST_BODY_LIMIT / 4, characters)
  const { kept, omitted } = room.takeLines(previews.map(previewRow))
  const lines = [
    '',
    '### Previews',
    '',
    '| Model | Before | After | Change |',
    '| --- | --- | --- | --- |',
    ...kept
  ]
  if (omitted > 0)
    lines.push('', `…and ${plural(omitted, 'more model')}; the job summary lists them.`)
  return placed(body, lines)
}

/** The pictures by the URLs the action made; a missing one says why, as outside text. */
function previewRow(preview: LinkedPreview): string {
  const picture = (side: PictureSide): string => {
    const url = pictureUrl(preview, side)
    if (url) return `<img src="${url}" alt="${side}" width="256">`
    const missing = missingPictureText(preview, side)
    return missing === undefined ? '—' : forMarkdown(missing)
  }
  const cells = [
    forMarkdown(modelCaption(preview)),
    picture('before'),
    picture('after'),
    forMarkdown(preview.change)
  ]
  return `| ${cells.join(' | ')} |`
}

/** The models' before → after, the most marked first, within half the description's room. */
function reviewSection(body: TextCap, review: readonly ModelChange[]): string[] {
  if (review.length === 0) return []
  const room = new TextCap(PULL_REQUEST_BODY_LIMIT / 2, characters)
  const heading = [
    '',
    '### What changed in the models',
    '',
    `| ${REVIEW_COLUMNS.join(' | ')} |`,
    `| ${REVIEW_COLUMNS.map(() => '---').join(' | ')} |`
  ]
  const { kept, omitted } = room.takeLines(reviewRows(review))
  const lines = [...heading, ...kept]
  if (omitted > 0)
    lines.push('', `…and ${plural(omitted, 'more model')}; the job summary lists them.`)
  return placed(body, lines)
}

function reviewRows(review: readonly ModelChange[]): Lines {
  return linesOf(review, change => {
    const cells = reviewCells(change).map(forMarkdown)
    if (change.markers.length > 0) cells[cells.length - 1] = `⚠️ ${cells[cells.length - 1]}`
    return `| ${cells.join(' | ')} |`
  })
}

/** Each optimised model as echo3D served it → as written, within a quarter of the room. */
function optimizationSection(body: TextCap, changed: readonly DeliveredFile[]): string[] {
  const optimized = optimizedFiles(changed.filter(file => !file.deleted))
  if (optimized.length === 0) return []
  const room = new TextCap(PULL_REQUEST_BODY_LIMIT / 4, characters)
  const { kept, omitted } = room.takeLines(
    linesOf(optimized, file => markdownRow(optimizationCells(file)))
  )
  const lines = [
    '',
    '### Optimised for the web',
    '',
    `| ${OPTIMIZATION_COLUMNS.join(' | ')} |`,
    `| ${OPTIMIZATION_COLUMNS.map(() => '---').join(' | ')} |`,
    ...kept
  ]
  if (omitted > 0) {
    lines.push('', `…and ${plural(omitted, 'more model')}; the job summary lists them.`)
  } else if (optimized.length > 1) {
    lines.push(markdownRow(optimizationTotals(optimized)))
  }
  // The action's own words, naming extensions only: no outside text to escape.
  const note = decoderNote(optimized)
  if (note) lines.push('', note)
  return placed(body, lines)
}

/** Outside text (paths) and figures alike in code spans, as the other tables have them. */
function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map(cell => (cell ? forMarkdown(cell) : '')).join(' | ')} |`
}

function tableRows(changed: readonly DeliveredFile[]): Lines {
  return linesOf(changed, file => {
    const size = file.deleted ? 'removed' : sizeWithSaving(file)
    return `| ${forMarkdown(file.path)} | ${forMarkdown(file.entry ?? '—')} | ${forMarkdown(file.format)} | ${size} |`
  })
}

/**
 * Each run rebuilds the head branch on its own base. Were the branch the head of an open pull
 * request into another base, that pull request would show this base's commits, which nobody
 * reviewed there: a run on any pushed branch could slip its code into the pull request into main.
 */
export async function refuseHeadOfAnotherBase(
  octokit: Octokit,
  repository: Repository,
  { base, head }: Pick<PullRequestRequest, 'base' | 'head'>
): Promise<void> {
  let open: { number: number; base: { ref: string } }[]
  try {
    const listing = { ...repository, state: 'open' as const, head: `${repository.owner}:${head}` }
    open = (await octokit.rest.pulls.list(listing)).data
  } catch (error) {
    throw explainGitHubError(error, 'list the open pull requests', 'pull-requests')
  }
  const other = open.find(pull => pull.base.ref !== base)
  if (!other) return
  throw new DeliveryError(
    `${head} is the head of open pull request #${other.number} into ${other.base.ref}; rebuilding it on ${base}, this run's branch, would put ${base}'s commits into #${other.number}. Leave \`pull-request-branch\` empty, which gives each branch a head branch of its own, or run this workflow on ${other.base.ref} only`
  )
}

/** Whether a pull request from `head` into `base` is open. */
export async function isPullRequestOpen(
  octokit: Octokit,
  repository: Repository,
  request: Pick<PullRequestRequest, 'base' | 'head'>
): Promise<boolean> {
  try {
    return (await findOpenPullRequest(octokit, repository, request)) !== undefined
  } catch (error) {
    throw explainGitHubError(error, 'list the open pull requests', 'pull-requests')
  }
}

/** The number of the open pull request from the action's branch into the base, if there is one. */
async function findOpenPullRequest(
  octokit: Octokit,
  repository: Repository,
  request: Pick<PullRequestRequest, 'base' | 'head'>
): Promise<number | undefined> {
  const { data: open } = await octokit.rest.pulls.list({
    ...repository,
    state: 'open',
    head: `${repository.owner}:${request.head}`,
    base: request.base
  })
  return open[0]?.number
}

/**
 * Updates the open pull request from `head`, or opens one; then gives it its labels, reviewers,
 * assignees and milestone. Each of these only adds, so a run repeats them without harm.
 */
export async function openOrUpdatePullRequest(
  octokit: Octokit,
  repository: Repository,
  request: PullRequestRequest
): Promise<PullRequestResult> {
  let result: PullRequestResult
  try {
    const open = await findOpenPullRequest(octokit, repository, request)
    result =
      open === undefined
        ? await createPullRequest(octokit, repository, request)
        : await updatePullRequest(octokit, repository, request, open)
  } catch (error) {
    throw explainGitHubError(error, 'open or update the pull request', 'pull-requests')
  }
  try {
    await dressPullRequest(octokit, repository, result.number, request)
  } catch (error) {
    throw explainGitHubError(
      error,
      `label or assign pull request #${result.number}`,
      'pull-requests'
    )
  }
  return result
}

async function createPullRequest(
  octokit: Octokit,
  repository: Repository,
  request: PullRequestRequest
): Promise<PullRequestResult> {
  const { data } = await octokit.rest.pulls.create({
    ...repository,
    base: request.base,
    head: request.head,
    title: request.title,
    body: pullRequestBody(request.changed, request),
    draft: request.draft
  })
  return { number: data.number, url: data.html_url, created: true }
}

async function updatePullRequest(
  octokit: Octokit,
  repository: Repository,
  request: PullRequestRequest,
  number: number
): Promise<PullRequestResult> {
  const { data } = await octokit.rest.pulls.update({
    ...repository,
    pull_number: number,
    title: request.title,
    body: pullRequestBody(request.changed, request)
  })
  return { number: data.number, url: data.html_url, created: false }
}

async function dressPullRequest(
  octokit: Octokit,
  repository: Repository,
  number: number,
  request: PullRequestRequest
): Promise<void> {
  const issue = { ...repository, issue_number: number }
  if (request.labels.length > 0)
    await octokit.rest.issues.addLabels({ ...issue, labels: request.labels })
  if (request.reviewers.length > 0 || request.teamReviewers.length > 0) {
    await octokit.rest.pulls.requestReviewers({
      ...repository,
      pull_number: number,
      reviewers: request.reviewers,
      team_reviewers: request.teamReviewers
    })
  }
  if (request.assignees.length > 0) {
    await octokit.rest.issues.addAssignees({ ...issue, assignees: request.assignees })
  }
  if (request.milestone !== undefined) {
    await octokit.rest.issues.update({ ...issue, milestone: request.milestone })
  }
}

/**
 * When the base branch already holds every file, an open pull request from the action's branch
 * has nothing left to propose: it is closed with a comment that says why.
 */
export async function closeObsoletePullRequest(
  octokit: Octokit,
  repository: Repository,
  request: Pick<PullRequestRequest, 'base' | 'head'>
): Promise<number | undefined> {
  try {
    const number = await findOpenPullRequest(octokit, repository, request)
    if (number === undefined) return undefined
    await octokit.rest.issues.createComment({
      ...repository,
      issue_number: number,
      body: `Closed by the echo3D assets action: ${forMarkdown(request.base)} already has every selected file as echo3D serves it.`
    })
    await octokit.rest.pulls.update({ ...repository, pull_number: number, state: 'closed' })
    return number
  } catch (error) {
    throw explainGitHubError(error, 'close the obsolete pull request', 'pull-requests')
  }
}
