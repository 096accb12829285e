// The Git database endpoints (refs, commits, trees, blobs) that the action's API delivery uses to
// commit without a checkout. Each one reads or writes the bare repository through git plumbing.
import type { GitHubDouble } from '../github-api.ts'
import { ApiError, type RouteContext } from './context.ts'
import type { BareRepository, TreeEntryInput } from './git.ts'

export async function getBranchRef(context: RouteContext): Promise<unknown> {
  const [branch] = context.captures
  const sha = await context.state.repository.tipOf(branch)
  if (!sha) throw new ApiError(404, 'Not Found')
  return { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }
}

export function getCommit(context: RouteContext): Promise<unknown> {
  return describeCommit(context.state.repository, context.captures[0])
}

export async function getTree(context: RouteContext): Promise<unknown> {
  const [sha] = context.captures
  const recursive = context.query.get('recursive') !== null
  const tree = await context.state.repository.listTree(sha, recursive)
  if (!tree) throw new ApiError(404, 'Not Found')
  return { sha, tree, truncated: false }
}

export async function getBlob(context: RouteContext): Promise<unknown> {
  const [sha] = context.captures
  const content = await context.state.repository.readBlob(sha)
  if (!content) throw new ApiError(404, 'Not Found')
  return { sha, size: content.length, encoding: 'base64', content: content.toString('base64') }
}

export async function createBlob(context: RouteContext): Promise<unknown> {
  const { body } = context
  const encoding = body.encoding === 'base64' ? 'base64' : 'utf8'
  const content = Buffer.from(typeof body.content === 'string' ? body.content : '', encoding)
  return { sha: await context.state.repository.hashObject(content), url: '' }
}

export async function createTree(context: RouteContext): Promise<unknown> {
  const { body } = context
  const baseTree = body.base_tree as string | undefined
  const sha = await context.state.repository.writeTree(baseTree, body.tree as TreeEntryInput[])
  return { sha, tree: [] }
}

export async function createCommit(context: RouteContext): Promise<unknown> {
  const { body } = context
  const { repository } = context.state
  const parents = (body.parents as string[]) ?? []
  const sha = await repository.createCommit(String(body.tree), parents, String(body.message))
  return describeCommit(repository, sha)
}

export async function createRef(context: RouteContext): Promise<unknown> {
  const { body } = context
  const ref = String(body.ref)
  const sha = String(body.sha)
  if (!(await context.state.repository.updateRef(ref, sha, undefined)))
    throw new ApiError(422, 'Reference already exists')
  return { ref, object: { sha, type: 'commit' } }
}

// Refuses what GitHub refuses: a missing branch, a protected branch, and a move that is not a fast
// forward unless forced. The test hook runs first, so that a test can move the branch meanwhile.
export async function updateBranchRef(context: RouteContext): Promise<unknown> {
  const { state, body } = context
  const [branch] = context.captures
  const sha = String(body.sha)
  await runRefUpdateHook(state.double)
  const current = await state.repository.tipOf(branch)
  if (!current) throw new ApiError(422, 'Reference does not exist')
  if (state.options.protectedBranches?.includes(branch)) {
    throw new ApiError(422, `Protected branch update failed for refs/heads/${branch}.`)
  }
  const fastForward = await state.repository.isAncestor(current, sha)
  if (!fastForward && body.force !== true) throw new ApiError(422, 'Update is not a fast forward')
  // Compare and swap, as GitHub's ref update is atomic: a ref moved since it was read is refused.
  if (!(await state.repository.updateRef(`refs/heads/${branch}`, sha, current)))
    throw new ApiError(422, 'Update is not a fast forward')
  return { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }
}

async function runRefUpdateHook(double: GitHubDouble): Promise<void> {
  const hook = double.beforeNextRefUpdate
  if (!hook) return
  double.beforeNextRefUpdate = undefined
  await hook()
}

async function describeCommit(repository: BareRepository, sha: string): Promise<unknown> {
  const commit = await repository.readCommit(sha)
  if (!commit) throw new ApiError(404, 'Not Found')
  return {
    sha,
    tree: { sha: commit.tree },
    parents: commit.parents.map(parent => ({ sha: parent })),
    message: commit.message,
    verification: { verified: true, reason: 'valid' }
  }
}
