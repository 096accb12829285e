// The double's bare repository. It holds real git objects and refs, rather than bookkeeping of its
// own, so that tests can check what the action did with `git log`, `git show` and `git ls-tree`,
// and the git CLI can clone, fetch and push. The double itself reads and writes them in-process
// (objects.ts): a delivery test makes dozens of API calls, and a git process for each was most of
// its time.
import { execFile } from 'node:child_process'
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ObjectStore, type CommitObject, type GitObject, type TreeEntry } from './objects.ts'

const run = promisify(execFile)

// The identities GitHub records for a commit made through the API with the Actions token.
const AUTHOR = 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>'
const COMMITTER = 'GitHub <noreply@github.com>'

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

/** A tree's entry as GET /git/trees lists it, with a path from the tree listed. */
export interface ListedEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

/** A folder of a tree being rewritten: its entries, and the subfolders loaded to change them. */
interface Folder {
  entries: Map<string, TreeEntry>
  folders: Map<string, Folder>
}

const TREE_MODE = '40000'

export class BareRepository {
  readonly gitDir: string
  private readonly objects: ObjectStore

  private constructor(gitDir: string) {
    this.gitDir = gitDir
    this.objects = new ObjectStore(gitDir, {
      object: sha => this.packedObject(sha),
      ref: name => this.packedRef(name)
    })
  }

  /**
   * An empty bare repository to copy for each fresh one: a push of any size leaves loose objects
   * in it, which the double reads without git.
   */
  static async template(gitDir: string): Promise<void> {
    await run('git', ['init', '--bare', '--quiet', gitDir])
    await run('git', ['config', 'receive.unpackLimit', '1000000'], { cwd: gitDir })
    await rm(path.join(gitDir, 'hooks'), { recursive: true, force: true })
  }

  /** A copy of the template whose default branch is `branch`, holding no commit yet. */
  static async copy(template: string, gitDir: string, branch: string): Promise<BareRepository> {
    await rm(gitDir, { recursive: true, force: true })
    await cp(template, gitDir, { recursive: true })
    await writeFile(path.join(gitDir, 'HEAD'), `ref: refs/heads/${branch}\n`)
    return new BareRepository(gitDir)
  }

  async git(...args: string[]): Promise<string> {
    const { stdout } = await run('git', args, { cwd: this.gitDir, maxBuffer: MAX_BUFFER })
    return stdout.trim()
  }

  /** A blob's bytes as they are, whatever their size; undefined when there is no such blob. */
  async readBlob(sha: string): Promise<Buffer | undefined> {
    const object = await this.objects.read(sha)
    return object?.type === 'blob' ? object.content : undefined
  }

  hashObject(content: string | Buffer): Promise<string> {
    return this.objects.write('blob', Buffer.from(content))
  }

  tipOf(branch: string): Promise<string | undefined> {
    return this.ref(`refs/heads/${branch}`)
  }

  ref(name: string): Promise<string | undefined> {
    return this.objects.ref(name)
  }

  /** Moves a ref from `expected` (undefined: none) to `sha`; false when it moved meanwhile. */
  updateRef(name: string, sha: string, expected: string | undefined): Promise<boolean> {
    return this.objects.updateRef(name, sha, expected)
  }

  readCommit(sha: string): Promise<CommitObject | undefined> {
    return this.objects.readCommit(sha)
  }

  isAncestor(ancestor: string, sha: string): Promise<boolean> {
    return this.objects.isAncestor(ancestor, sha)
  }

  /** A commit with GitHub's identities, made now. */
  createCommit(tree: string, parents: string[], message: string): Promise<string> {
    const seconds = Math.floor(Date.now() / 1000)
    return this.objects.writeCommit({ tree, parents, message }, AUTHOR, COMMITTER, seconds)
  }

  /** A tree's entries with their paths, as `git ls-tree -l` lists them (-r -t when recursive). */
  async listTree(sha: string, recursive: boolean, prefix = ''): Promise<ListedEntry[] | undefined> {
    const entries = await this.objects.readTree(sha)
    if (!entries) return undefined
    const listed: ListedEntry[] = []
    for (const entry of entries) {
      const entryPath = `${prefix}${entry.name}`
      const type = entry.mode === TREE_MODE ? 'tree' : entry.mode === '160000' ? 'commit' : 'blob'
      const size = type === 'blob' ? (await this.readBlob(entry.sha))?.length : undefined
      listed.push({
        path: entryPath,
        mode: entry.mode.padStart(6, '0'),
        type,
        sha: entry.sha,
        size
      })
      if (type === 'tree' && recursive) {
        listed.push(...((await this.listTree(entry.sha, true, `${entryPath}/`)) ?? []))
      }
    }
    return listed
  }

  /** Builds a tree from a base tree and changes, and returns its SHA; emptied folders go. */
  async writeTree(baseTree: string | undefined, entries: TreeEntryInput[]): Promise<string> {
    const root = await this.folder(baseTree)
    for (const entry of entries) {
      const sha = await this.blobOf(entry)
      const segments = entry.path.split('/')
      const name = segments.pop() ?? ''
      const folder = await this.descend(root, segments, sha !== null)
      if (!folder) continue
      if (sha === null) folder.entries.delete(name)
      else folder.entries.set(name, { mode: entry.mode, name, sha })
    }
    return (await this.writeFolder(root)) ?? this.objects.writeTree([])
  }

  /**
   * Refuses pushes to these branches as GitHub does, with its GH006 message: a pre-receive hook,
   * so that `git push` meets the protection the REST API's ref updates meet.
   */
  async protectBranches(branches: readonly string[]): Promise<void> {
    if (branches.length === 0) return
    const refs = branches.map(branch => `refs/heads/${branch}`).join('|')
    const hook = path.join(this.gitDir, 'hooks', 'pre-receive')
    await mkdir(path.dirname(hook), { recursive: true })
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
    const baseTree = parent ? (await this.readCommit(parent))?.tree : undefined
    const entries = Object.entries(files).map(([filePath, content]) => ({
      path: filePath,
      mode: '100644',
      content
    }))
    const tree = await this.writeTree(baseTree, entries)
    const sha = await this.createCommit(tree, parent ? [parent] : [], message)
    if (!(await this.updateRef(`refs/heads/${branch}`, sha, parent))) {
      throw new Error(`branch ${branch} moved while the double committed to it`)
    }
    return sha
  }

  private async folder(treeSha: string | undefined): Promise<Folder> {
    const entries = treeSha ? ((await this.objects.readTree(treeSha)) ?? []) : []
    return { entries: new Map(entries.map(entry => [entry.name, entry])), folders: new Map() }
  }

  /** The folder at `segments`, loaded or made; undefined when it is missing and need not be. */
  private async descend(
    root: Folder,
    segments: readonly string[],
    create: boolean
  ): Promise<Folder | undefined> {
    let folder = root
    for (const segment of segments) {
      let child = folder.folders.get(segment)
      if (!child) {
        const existing = folder.entries.get(segment)
        const isTree = existing?.mode === TREE_MODE
        if (!isTree && !create) return undefined
        child = await this.folder(isTree ? existing.sha : undefined)
        folder.entries.delete(segment)
        folder.folders.set(segment, child)
      }
      folder = child
    }
    return folder
  }

  private async writeFolder(folder: Folder): Promise<string | undefined> {
    const entries = new Map(folder.entries)
    for (const [name, child] of folder.folders) {
      const sha = await this.writeFolder(child)
      if (sha) entries.set(name, { mode: TREE_MODE, name, sha })
    }
    return entries.size === 0 ? undefined : this.objects.writeTree([...entries.values()])
  }

  // The blob an entry points to: the given SHA, or new content written as a blob, or none.
  private async blobOf(entry: TreeEntryInput): Promise<string | null> {
    if (entry.sha !== undefined && entry.sha !== null) return entry.sha
    if (entry.content !== undefined) return this.hashObject(entry.content)
    return null
  }

  private async packedObject(sha: string): Promise<GitObject | undefined> {
    try {
      const type = (await this.git('cat-file', '-t', sha)) as GitObject['type']
      const { stdout } = await run('git', ['cat-file', type, sha], {
        cwd: this.gitDir,
        encoding: 'buffer',
        maxBuffer: MAX_BUFFER
      })
      return { type, content: stdout }
    } catch {
      return undefined
    }
  }

  private async packedRef(name: string): Promise<string | undefined> {
    const packed = await readFile(path.join(this.gitDir, 'packed-refs'), 'utf8').catch(() => '')
    const line = packed.split('\n').find(candidate => candidate.endsWith(` ${name}`))
    return line?.split(' ')[0]
  }
}
