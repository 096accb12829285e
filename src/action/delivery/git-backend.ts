// Commits with the git CLI in the checked-out workspace, for repositories that need git's own
// filters (Git LFS). It never touches the user's index, HEAD or working tree: commits are built
// in a temporary index on top of the fetched branch tip, and pushed by SHA. It pushes with the
// credentials actions/checkout persisted, as a plain `git push` in the workflow would.

import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DeliveryError } from '../../errors.js'
import { formatDuration } from '../../quantities.js'
import type { DeliveredFile } from '../../model.js'
import type { CommitBackend } from './backend.js'
import { GITHUB_FILE_LIMIT } from './files.js'

const REMOTE = 'origin'

/**
 * The paths one git command takes as arguments. A program's arguments and environment share about
 * 2 MiB on Linux, and thousands of long names from echo3D would pass it (E2BIG).
 */
const MAX_ARGUMENT_BYTES = 256 * 1024

/**
 * What a push says when the branch moved meanwhile: rejected as not a fast-forward, or, when
 * another push updated the branch during this one, refused the lock on the old value.
 */
const BRANCH_MOVED =
  /non-fast-forward|fetch first|\[rejected\]|updates were rejected|cannot lock ref|incorrect old value/i

interface GitResult {
  stdout: string
  stderr: string
}

export class GitBackend implements CommitBackend {
  /** `timeoutMs` bounds each git command: a remote that hangs must not hold the step. */
  constructor(
    private readonly workspace: string,
    private readonly identity: Record<string, string>,
    private readonly timeoutMs: number
  ) {}

  async tip(branch: string): Promise<string | undefined> {
    const trackingRef = `refs/echo3d/remote/${branch}`
    try {
      await this.git([
        'fetch',
        '--no-tags',
        '--depth=1',
        REMOTE,
        `+refs/heads/${branch}:${trackingRef}`
      ])
    } catch (error) {
      if (/couldn't find remote ref/i.test(String((error as Error).message))) return undefined
      throw error
    }
    return (await this.git(['rev-parse', trackingRef])).stdout
  }

  async parents(commit: string): Promise<string[]> {
    const raw = (await this.git(['cat-file', 'commit', commit])).stdout
    return [...raw.matchAll(/^parent ([0-9a-f]{40,64})$/gm)].map(match => match[1])
  }

  async readText(commit: string, filePath: string, maxBytes: number): Promise<string | undefined> {
    const object = `${commit}:${filePath}`
    const exists = await this.git(['cat-file', '-e', object]).then(
      () => true,
      () => false
    )
    if (!exists) return undefined
    const size = Number((await this.git(['cat-file', '-s', object])).stdout)
    if (size > maxBytes) return undefined
    return (await this.git(['cat-file', 'blob', object])).stdout
  }

  async changedFiles(commit: string, files: readonly DeliveredFile[]): Promise<DeliveredFile[]> {
    const remote = new Map<string, string>()
    for (const paths of argumentBatches(files.map(file => file.path))) {
      const listing = (await this.git(['ls-tree', '-r', '-z', commit, '--', ...paths])).stdout
      for (const line of listing.split('\0').filter(Boolean)) {
        const [meta, filePath] = line.split('\t')
        remote.set(filePath, meta.split(' ')[2])
      }
    }
    const present = files.filter(file => !file.deleted)
    const hashes = await this.hashObjects(present, false)
    const local = new Map(present.map((file, index) => [file.path, hashes[index]]))
    return files.filter(file => remote.get(file.path) !== local.get(file.path))
  }

  async createCommit(
    parent: string,
    changes: readonly DeliveredFile[],
    message: string
  ): Promise<string> {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'echo3d-index-'))
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') }
    try {
      await this.git(['read-tree', parent], env)
      const present = changes.filter(file => !file.deleted)
      const hashes = await this.hashObjects(present, true)
      await this.refuseWholeLargeBlobs(present, hashes)
      const blobs = new Map(present.map((file, index) => [file.path, hashes[index]]))
      // Mode 0 with the null SHA removes a path from the index.
      // NUL-terminated, so that git reads every path as it is, whatever it holds.
      const indexInfo = changes
        .map(file =>
          file.deleted
            ? `0 ${'0'.repeat(40)}\t${file.path}`
            : `100644 ${blobs.get(file.path)}\t${file.path}`
        )
        .join('\0')
      await this.git(['update-index', '-z', '--index-info'], env, `${indexInfo}\0`)
      const tree = (await this.git(['write-tree'], env)).stdout
      return (
        await this.git(['commit-tree', tree, '-p', parent, '-F', '-'], this.identity, message)
      ).stdout
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }

  async moveBranch(branch: string, commit: string, force: boolean): Promise<boolean> {
    try {
      await this.git([
        'push',
        '--porcelain',
        REMOTE,
        `${force ? '+' : ''}${commit}:refs/heads/${branch}`
      ])
      return true
    } catch (error) {
      const message = String((error as Error).message)
      if (BRANCH_MOVED.test(message) && !/protected|GH006|declined/i.test(message)) return false
      throw new DeliveryError(
        /protected|GH006|declined/i.test(message)
          ? `Could not push to ${branch}: the branch is protected. Use \`commit: pull-request\` to propose the change instead`
          : `Could not push to ${branch}: ${message}. Check that the checkout can push (actions/checkout with persist-credentials, and \`permissions: contents: write\`)`
      )
    }
  }

  /**
   * Which of these paths the checkout's .gitattributes give to Git LFS, which stores files past
   * GitHub's 100 MiB. None when git cannot tell (no checkout): the size check then says so.
   */
  async lfsTracked(paths: readonly string[]): Promise<Set<string>> {
    const input = paths.map(filePath => `${filePath}\0`).join('')
    const output = await this.git(['check-attr', '-z', '--stdin', 'filter'], {}, input).then(
      result => result.stdout,
      () => ''
    )
    // Each answer is three fields: the path, the attribute and its value.
    const fields = output.split('\0')
    const tracked = new Set<string>()
    for (let index = 0; index + 2 < fields.length; index += 3) {
      if (fields[index + 2] === 'lfs') tracked.add(fields[index])
    }
    return tracked
  }

  /**
   * .gitattributes may give a file to Git LFS in a checkout where Git LFS is not set up: git then
   * stores the file whole, and GitHub refuses the push past 100 MiB with a message about the
   * push. The blobs git made say it first, and why.
   */
  private async refuseWholeLargeBlobs(
    files: readonly DeliveredFile[],
    hashes: readonly string[]
  ): Promise<void> {
    if (!files.some(file => file.bytes > GITHUB_FILE_LIMIT)) return
    const input = hashes.map(hash => `${hash}\n`).join('')
    const listing = (await this.git(['cat-file', '--batch-check'], {}, input)).stdout
    const sizes = listing.split('\n').map(line => Number(line.split(' ')[2]))
    const whole = files.filter((_file, index) => sizes[index] > GITHUB_FILE_LIMIT)
    if (whole.length === 0) return
    throw new DeliveryError(
      `Cannot commit: git stored ${whole.map(file => file.path).join(', ')} whole, over GitHub's 100 MiB file limit. The checkout's .gitattributes give ${whole.length === 1 ? 'it' : 'them'} to Git LFS, but Git LFS is not set up: check out with \`lfs: true\` (actions/checkout), or run \`git lfs install\` before this step`
    )
  }

  /** Whether the workspace is a checkout with a remote to push to. */
  hasRemote(): Promise<boolean> {
    return this.git(['remote', 'get-url', REMOTE]).then(
      () => true,
      () => false
    )
  }

  /**
   * Hashes through git, so that .gitattributes filters (Git LFS) apply as they would on `git add`:
   * the files in the workspace at once, each file from elsewhere (a preview) as if at its path.
   */
  private async hashObjects(files: readonly DeliveredFile[], write: boolean): Promise<string[]> {
    const hashObject = ['hash-object', ...(write ? ['-w'] : [])]
    const inPlace = files.filter(file => this.liesAtItsPath(file))
    const hashes = new Map<DeliveredFile, string>()
    if (inPlace.length > 0) {
      const paths = `${inPlace.map(file => file.path).join('\n')}\n`
      const output = await this.git([...hashObject, '--stdin-paths'], {}, paths)
      output.stdout.split('\n').forEach((hash, index) => hashes.set(inPlace[index], hash))
    }
    for (const file of files.filter(candidate => !hashes.has(candidate))) {
      const args = [...hashObject, `--path=${file.path}`, '--', file.absolutePath]
      hashes.set(file, (await this.git(args)).stdout)
    }
    return files.map(file => hashes.get(file) ?? '')
  }

  private liesAtItsPath(file: DeliveredFile): boolean {
    return path.resolve(this.workspace, file.path) === path.resolve(file.absolutePath)
  }

  private git(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        {
          cwd: this.workspace,
          env: { ...process.env, ...env },
          maxBuffer: 64 * 1024 * 1024,
          timeout: this.timeoutMs
        },
        (error, stdout, stderr) => {
          // stderr says what went wrong; the command line would only repeat the arguments.
          const failure = error?.killed
            ? `it did not finish within the \`timeout\` of ${formatDuration(this.timeoutMs)}`
            : String(stderr).trim() || `exit code ${String(error?.code)}`
          if (error) reject(new Error(`git ${args[0]} failed: ${failure}`))
          // Only the end: a NUL-separated answer may begin with a path that begins with a space.
          else resolve({ stdout: String(stdout).trimEnd(), stderr: String(stderr) })
        }
      )
      // A git command that does not read its input may exit before the write: not a failure.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(input ?? '')
    })
  }
}

/** The paths in runs whose bytes stay within MAX_ARGUMENT_BYTES, in their order. Pure. */
function* argumentBatches(paths: readonly string[]): Generator<string[]> {
  let batch: string[] = []
  let bytes = 0
  for (const filePath of paths) {
    const size = Buffer.byteLength(filePath) + 1
    if (batch.length > 0 && bytes + size > MAX_ARGUMENT_BYTES) {
      yield batch
      batch = []
      bytes = 0
    }
    batch.push(filePath)
    bytes += size
  }
  if (batch.length > 0) yield batch
}
