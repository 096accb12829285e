import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { DeliveredFile } from '../../model.js'
import { BytesInFlight, mapWithConcurrency } from '../../engine/index.js'
import type { CommitBackend } from './backend.js'
import { gitBlobSha } from './files.js'
import { explainGitHubError, statusOf, type Octokit, type Repository } from './github.js'
import type { BlobPace } from './rate-limits.js'

/**
 * Blobs are sent four at a time: the pace lets one start a second, and an upload of a large model
 * takes longer than that, so a few lanes keep the pace without waiting on each upload. Each holds
 * a file and its base64 in memory, so large files take fewer lanes.
 */
const BLOB_LANES = 4
const BLOB_BYTES_AT_ONCE = 64 * 1024 * 1024

/**
 * Commits through the GitHub REST API: blobs, a tree, a commit and a ref. Commits made this way
 * with the workflow token are signed by GitHub and show as Verified; no checkout is needed.
 */
export class ApiBackend implements CommitBackend {
  private readonly octokit: Octokit
  private readonly repository: Repository
  private readonly pace: BlobPace
  private readonly blobShas = new Map<string, string>()
  /** Blobs this run created: a commit rebuilt on a moved branch does not send them again. */
  private readonly uploaded = new Set<string>()

  constructor(octokit: Octokit, repository: Repository, pace: BlobPace) {
    this.octokit = octokit
    this.repository = repository
    this.pace = pace
  }

  async tip(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({
        ...this.repository,
        ref: `heads/${branch}`
      })
      return data.object.sha
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw explainGitHubError(error, `read branch ${branch}`, 'contents')
    }
  }

  async parents(commit: string): Promise<string[]> {
    const { data } = await this.octokit.rest.git.getCommit({
      ...this.repository,
      commit_sha: commit
    })
    return data.parents.map(parent => parent.sha)
  }

  async readText(commit: string, filePath: string, maxBytes: number): Promise<string | undefined> {
    let treeSha: string | undefined = await this.treeOf(commit)
    const folders = path.posix
      .dirname(filePath)
      .split('/')
      .filter(part => part !== '.')
    for (const segment of folders) {
      treeSha = await this.subtree(treeSha, segment)
      if (!treeSha) return undefined
    }
    const { data } = await this.octokit.rest.git.getTree({ ...this.repository, tree_sha: treeSha })
    const name = path.posix.basename(filePath)
    const blob = data.tree.find(entry => entry.path === name && entry.type === 'blob')
    if (!blob?.sha || (blob.size ?? 0) > maxBytes) return undefined
    const { data: content } = await this.octokit.rest.git.getBlob({
      ...this.repository,
      file_sha: blob.sha
    })
    return Buffer.from(content.content, 'base64').toString('utf8')
  }

  async changedFiles(commit: string, files: readonly DeliveredFile[]): Promise<DeliveredFile[]> {
    const remote = await this.remoteBlobs(await this.treeOf(commit), files)
    const changed: DeliveredFile[] = []
    for (const file of files) {
      const local = file.deleted ? undefined : await this.localBlobSha(file.absolutePath)
      if (remote.get(file.path) !== local) changed.push(file)
    }
    return changed
  }

  async createCommit(
    parent: string,
    changes: readonly DeliveredFile[],
    message: string
  ): Promise<string> {
    try {
      const blobs = await this.uploadBlobs(changes.filter(file => !file.deleted))
      const entries = changes.map(file => ({
        path: file.path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: file.deleted ? null : blobs.get(file.path)
      }))
      const tree = await this.octokit.rest.git.createTree({
        ...this.repository,
        base_tree: await this.treeOf(parent),
        tree: entries
      })
      const { data } = await this.octokit.rest.git.createCommit({
        ...this.repository,
        message,
        tree: tree.data.sha,
        parents: [parent]
      })
      return data.sha
    } catch (error) {
      throw explainGitHubError(error, 'create the commit', 'contents')
    }
  }

  async moveBranch(branch: string, commit: string, force: boolean): Promise<boolean> {
    const exists = (await this.tip(branch)) !== undefined
    try {
      if (!exists) {
        await this.octokit.rest.git.createRef({
          ...this.repository,
          ref: `refs/heads/${branch}`,
          sha: commit
        })
        return true
      }
      await this.octokit.rest.git.updateRef({
        ...this.repository,
        ref: `heads/${branch}`,
        sha: commit,
        force
      })
      return true
    } catch (error) {
      const message = error instanceof Error ? error.message : ''
      if (statusOf(error) === 422 && /fast.forward/i.test(message)) return false
      throw explainGitHubError(error, `update branch ${branch}`, 'contents')
    }
  }

  /**
   * A file is compared against the base, the pull-request branch and each retry: hash it once,
   * unless it was rewritten since (a shard's lockfile is, on each retry).
   */
  private async localBlobSha(absolutePath: string): Promise<string> {
    const { size, mtimeMs } = await stat(absolutePath)
    const version = `${absolutePath}\0${size}\0${mtimeMs}`
    const known = this.blobShas.get(version)
    if (known) return known
    const sha = await gitBlobSha(absolutePath)
    this.blobShas.set(version, sha)
    return sha
  }

  private async treeOf(commit: string): Promise<string> {
    const { data } = await this.octokit.rest.git.getCommit({
      ...this.repository,
      commit_sha: commit
    })
    return data.tree.sha
  }

  /** The blob SHA of each file, by path; a blob this run already sent is not sent again. */
  private async uploadBlobs(files: readonly DeliveredFile[]): Promise<Map<string, string>> {
    const shas = new Map<string, string>()
    const held = new BytesInFlight(BLOB_BYTES_AT_ONCE)
    // After a refusal no blob is started: the commit fails, and each further request would count
    // against GitHub's limits for nothing.
    let failed = false
    const uploadOne = async (file: DeliveredFile): Promise<void> => {
      const local = await this.localBlobSha(file.absolutePath)
      const sha = this.uploaded.has(local) ? local : await this.uploadBlob(file)
      this.uploaded.add(sha)
      shas.set(file.path, sha)
    }
    await mapWithConcurrency(files, BLOB_LANES, async file => {
      if (failed) return
      await held
        .run(file.bytes, () => uploadOne(file))
        .catch((error: unknown) => {
          failed = true
          throw error
        })
    })
    return shas
  }

  private async uploadBlob(file: DeliveredFile): Promise<string> {
    await this.pace.take()
    const { data } = await this.octokit.rest.git.createBlob({
      ...this.repository,
      content: (await readFile(file.absolutePath)).toString('base64'),
      encoding: 'base64'
    })
    return data.sha
  }

  private async subtree(treeSha: string, name: string): Promise<string | undefined> {
    const { data } = await this.octokit.rest.git.getTree({ ...this.repository, tree_sha: treeSha })
    return data.tree.find(entry => entry.path === name && entry.type === 'tree')?.sha
  }

  /**
   * The blob SHAs of the tree below the folder the files share: a walk down that folder's path,
   * then one recursive listing of it, so a large repository's tree is never listed whole.
   */
  private async remoteBlobs(
    rootTree: string,
    files: readonly DeliveredFile[]
  ): Promise<Map<string, string>> {
    const folder = commonFolder(files.map(file => file.path))
    let treeSha: string | undefined = rootTree
    for (const segment of folder ? folder.split('/') : []) {
      treeSha = await this.subtree(treeSha, segment)
      if (!treeSha) return new Map()
    }
    const { data } = await this.octokit.rest.git.getTree({
      ...this.repository,
      tree_sha: treeSha,
      recursive: 'true'
    })
    const prefix = folder ? `${folder}/` : ''
    return new Map(
      data.tree
        .filter(entry => entry.type === 'blob' && entry.sha)
        .map(entry => [`${prefix}${entry.path}`, entry.sha])
    )
  }
}

/** The deepest folder that holds every path ('' for the repository root). */
export function commonFolder(paths: readonly string[]): string {
  if (paths.length === 0) return ''
  const folders = paths.map(item =>
    path.posix
      .dirname(item)
      .split('/')
      .filter(part => part !== '.')
  )
  const shared: string[] = []
  for (
    let index = 0;
    folders.every(parts => index < parts.length && parts[index] === folders[0][index]);
    index++
  ) {
    shared.push(folders[0][index])
  }
  return shared.join('/')
}
