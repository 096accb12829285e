// Git plumbing over the double's bare repository. The double writes real git objects, rather than
// keeping its own bookkeeping, so that tests can check what the action did with `git log`,
// `git show` and `git ls-tree`.
import { execFile } from 'node:child_process'
import { chmod, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

// The identities GitHub records for a commit made through the API with the Actions token.
const COMMITTER = {
  GIT_AUTHOR_NAME: 'github-actions[bot]',
  GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.com'
}

// Large blobs pass through git's standard output.
const MAX_BUFFER = 1 << 30

/** One entry of a tree as the REST API takes it: `sha: null` removes the path. */
export interface TreeEntryInput {
  path: string
  mode: string
  type?: string
  sha?: string | null
  content?: string
}

export class BareRepository {
  readonly gitDir: string
  // Where temporary index files go: outside the repository, and removed with it.
  private readonly scratch: string

  constructor(gitDir: string, scratch: string) {
    this.gitDir = gitDir
    this.scratch = scratch
  }

  static async init(gitDir: string, scratch: string, branch: string): Promise<BareRepository> {
    await run('git', ['init', '--bare', '--quiet', '--initial-branch', branch, gitDir])
    return new BareRepository(gitDir, scratch)
  }

  async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, {
      cwd: this.gitDir,
      env: { ...process.env, ...COMMITTER },
      maxBuffer: MAX_BUFFER
    })
    return stdout.trim()
  }

  /** A blob's bytes as they are: no trimming, whatever their size. */
  async readBlob(sha: string): Promise<Buffer> {
    const { stdout } = await run('git', ['cat-file', 'blob', sha], {
      cwd: this.gitDir,
      encoding: 'buffer',
      maxBuffer: MAX_BUFFER
    })
    return stdout
  }

  gitWithInput(
    args: string[],
    input: string | Buffer,
    env: NodeJS.ProcessEnv = {}
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: this.gitDir, env: { ...process.env, ...COMMITTER, ...env }, maxBuffer: MAX_BUFFER },
        (error, stdout) =>
          error ? reject(new Error(error.message)) : resolve(String(stdout).trim())
      )
      // A command that does not read its input may exit before the write: that is not a failure.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(input)
    })
  }

  hashObject(content: string | Buffer): Promise<string> {
    return this.gitWithInput(['hash-object', '-w', '--stdin'], content)
  }

  tipOf(branch: string): Promise<string | undefined> {
    return this.git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`).catch(
      () => undefined
    )
  }

  /**
   * Builds a tree from a base tree and changes, in an index of its own, and returns its SHA. The
   * changes go in with one `update-index`, so that a tree of hundreds of files costs one process.
   */
  async writeTree(baseTree: string | undefined, entries: TreeEntryInput[]): Promise<string> {
    const indexFile = path.join(this.scratch, `index-${process.hrtime.bigint()}`)
    const env = { GIT_INDEX_FILE: indexFile }
    try {
      await this.gitWithInput(
        baseTree ? ['read-tree', baseTree] : ['read-tree', '--empty'],
        '',
        env
      )
      const lines: string[] = []
      for (const entry of entries) {
        const sha = await this.blobOf(entry)
        // A bare repository has no work tree: a removal goes in as mode 0 with the null SHA.
        lines.push(
          sha === null
            ? `0 ${'0'.repeat(40)}\t${entry.path}`
            : `${entry.mode} ${sha}\t${entry.path}`
        )
      }
      if (lines.length > 0) {
        // NUL-terminated, so that a path is read as it is, whatever it holds.
        await this.gitWithInput(
          ['update-index', '-z', '--index-info'],
          `${lines.join('\0')}\0`,
          env
        )
      }
      return await this.gitWithInput(['write-tree'], '', env)
    } finally {
      await rm(indexFile, { force: true })
    }
  }

  /**
   * Refuses pushes to these branches as GitHub does, with its GH006 message: a pre-receive hook,
   * so that `git push` meets the protection the REST API's ref updates meet.
   */
  async protectBranches(branches: readonly string[]): Promise<void> {
    if (branches.length === 0) return
    const refs = branches.map(branch => `refs/heads/${branch}`).join('|')
    const hook = path.join(this.gitDir, 'hooks', 'pre-receive')
    await writeFile(
      hook,
      [
        '#!/bin/sh',
        'while read old new ref; do',
        '  case "$ref" in',
        `    ${refs}) echo "error: GH006: Protected branch update failed for $ref." >&2; exit 1 ;;`,
        '  esac',
        'done',
        ''
      ].join('\n')
    )
    await chmod(hook, 0o755)
  }

  /** Commits files onto a branch directly, as another push would. */
  async commitFiles(
    branch: string,
    files: Record<string, string>,
    message: string
  ): Promise<string> {
    const parent = await this.tipOf(branch)
    const baseTree = parent ? await this.git('rev-parse', `${parent}^{tree}`) : undefined
    const entries = Object.entries(files).map(([filePath, content]) => ({
      path: filePath,
      mode: '100644',
      content
    }))
    const tree = await this.writeTree(baseTree, entries)
    const parents = parent ? ['-p', parent] : []
    const sha = await this.git('commit-tree', tree, ...parents, '-m', message)
    await this.git('update-ref', `refs/heads/${branch}`, sha)
    return sha
  }

  // The blob an entry points to: the given SHA, or new content written as a blob, or none.
  private async blobOf(entry: TreeEntryInput): Promise<string | null> {
    if (entry.sha !== undefined && entry.sha !== null) return entry.sha
    if (entry.content !== undefined) return this.hashObject(entry.content)
    return null
  }
}
