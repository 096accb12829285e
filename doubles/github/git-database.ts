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

export function getTree(context: RouteContext): Promise<unknown> {
  const recursive = context.query.get('recursive') !== null
  return describeTree(context.state.repository, context.captures[0], recursive)
}

export async function getBlob(context: RouteContext): Promise<unknown> {
  const sha = context.captures[0]
  const content = await context.state.repository.readBlob(sha)
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
  const sha = await repository.git(
    'commit-tree',
    String(body.tree),
    ...parents.flatMap(parent => ['-p', parent]),
    '-m',
    String(body.message)
  )
  return describeCommit(repository, sha)
}

export async function createRef(context: RouteContext): Promise<unknown> {
  const { body } = context
  const { repository } = context.state
  const ref = String(body.ref)
  if (await repository.git('rev-parse', '--verify', '--quiet', ref).catch(() => ''))
    throw new ApiError(422, 'Reference already exists')
  await repository.git('update-ref', ref, String(body.sha))
  return { ref, object: { sha: body.sha, type: 'commit' } }
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
  const fastForward = await isAncestor(state.repository, current, sha)
  if (!fastForward && body.force !== true) throw new ApiError(422, 'Update is not a fast forward')
  // Compare and swap, as GitHub's ref update is atomic: a ref moved since it was read is refused.
  await state.repository.git('update-ref', `refs/heads/${branch}`, sha, current).catch(() => {
    throw new ApiError(422, 'Update is not a fast forward')
  })
  return { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } }
}

async function runRefUpdateHook(double: GitHubDouble): Promise<void> {
  const hook = double.beforeNextRefUpdate
  if (!hook) return
  double.beforeNextRefUpdate = undefined
  await hook()
}

function isAncestor(repository: BareRepository, ancestor: string, sha: string): Promise<boolean> {
  return repository.git('merge-base', '--is-ancestor', ancestor, sha).then(
    () => true,
    () => false
  )
}

async function describeCommit(repository: BareRepository, sha: string): Promise<unknown> {
  const raw = await repository.git('cat-file', 'commit', sha).catch(() => {
    throw new ApiError(404, 'Not Found')
  })
  const tree = /^tree ([0-9a-f]{40})$/m.exec(raw)?.[1]
  const parents = [...raw.matchAll(/^parent ([0-9a-f]{40})$/gm)].map(match => ({ sha: match[1] }))
  const message = raw.slice(raw.indexOf('\n\n') + 2)
  return {
    sha,
    tree: { sha: tree },
    parents,
    message,
    verification: { verified: true, reason: 'valid' }
  }
}

async function describeTree(
  repository: BareRepository,
  sha: string,
  recursive: boolean
): Promise<unknown> {
  const listing = await repository
    .git('ls-tree', ...(recursive ? ['-r', '-t'] : []), '-l', '-z', sha)
    .catch(() => {
      throw new ApiError(404, 'Not Found')
    })
  const tree = listing.split('\0').filter(Boolean).map(treeEntryOf)
  return { sha, tree, truncated: false }
}

// One line of `git ls-tree -l -z`: "<mode> <type> <sha> <size>\t<path>".
function treeEntryOf(line: string): Record<string, unknown> {
  const [meta, entryPath] = line.split('\t')
  const [mode, type, entrySha, size] = meta.split(/\s+/)
  return {
    path: entryPath,
    mode,
    type,
    sha: entrySha,
    ...(type === 'blob' ? { size: Number(size) } : {})
  }
}
