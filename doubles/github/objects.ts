// Git's object database and refs read and written in-process, as files in the bare repository:
// loose objects (zlib-deflated "<type> <size>\0<content>", named by their SHA-1) and loose refs.
// The double answers each API call without starting a git process, so that the many delivery
// tests stay fast; what it writes is ordinary git, which the tests read back with git itself.
// An object or ref that git packed is read through git.

import { createHash } from 'node:crypto'
import { access, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag'

export interface GitObject {
  type: ObjectType
  content: Buffer
}

export interface TreeEntry {
  /** As a tree object writes it: 100644, 100755, 120000, 160000, or 40000 for a tree. */
  mode: string
  name: string
  sha: string
}

export interface CommitObject {
  tree: string
  parents: string[]
  message: string
}

/** Reads what a loose file does not hold: a packed object or ref, through git. */
export interface PackedReader {
  object(sha: string): Promise<GitObject | undefined>
  ref(name: string): Promise<string | undefined>
}

export class ObjectStore {
  constructor(
    private readonly gitDir: string,
    private readonly packed: PackedReader
  ) {}

  async write(type: ObjectType, content: Buffer): Promise<string> {
    const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content])
    const sha = createHash('sha1').update(raw).digest('hex')
    const file = this.objectPath(sha)
    const exists = await access(file).then(
      () => true,
      () => false
    )
    if (!exists) await writeAtomically(file, deflateSync(raw))
    return sha
  }

  async read(sha: string): Promise<GitObject | undefined> {
    const compressed = await readFile(this.objectPath(sha)).catch(() => undefined)
    if (!compressed) return this.packed.object(sha)
    const raw = inflateSync(compressed)
    const space = raw.indexOf(0x20)
    const nul = raw.indexOf(0)
    return { type: raw.toString('latin1', 0, space) as ObjectType, content: raw.subarray(nul + 1) }
  }

  async readCommit(sha: string): Promise<CommitObject | undefined> {
    const object = await this.read(sha)
    if (object?.type !== 'commit') return undefined
    const text = object.content.toString('utf8')
    const headerEnd = text.indexOf('\n\n')
    const header = headerEnd < 0 ? text : text.slice(0, headerEnd)
    return {
      tree: /^tree ([0-9a-f]{40})$/m.exec(header)?.[1] ?? '',
      parents: [...header.matchAll(/^parent ([0-9a-f]{40})$/gm)].map(match => match[1]),
      message: headerEnd < 0 ? '' : text.slice(headerEnd + 2)
    }
  }

  async readTree(sha: string): Promise<TreeEntry[] | undefined> {
    const object = await this.read(sha)
    if (object?.type !== 'tree') return undefined
    const entries: TreeEntry[] = []
    const { content } = object
    let offset = 0
    while (offset < content.length) {
      const space = content.indexOf(0x20, offset)
      const nul = content.indexOf(0, space)
      entries.push({
        mode: content.toString('latin1', offset, space),
        name: content.toString('utf8', space + 1, nul),
        sha: content.toString('hex', nul + 1, nul + 21)
      })
      offset = nul + 21
    }
    return entries
  }

  /** A tree object of these entries, in the order git requires. */
  writeTree(entries: readonly TreeEntry[]): Promise<string> {
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)))
    const content = Buffer.concat(
      sorted.flatMap(entry => [
        Buffer.from(`${entry.mode} ${entry.name}\0`),
        Buffer.from(entry.sha, 'hex')
      ])
    )
    return this.write('tree', content)
  }

  writeCommit(
    commit: CommitObject,
    author: string,
    committer: string,
    seconds: number
  ): Promise<string> {
    const message = commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`
    const lines = [
      `tree ${commit.tree}`,
      ...commit.parents.map(parent => `parent ${parent}`),
      `author ${author} ${seconds} +0000`,
      `committer ${committer} ${seconds} +0000`,
      '',
      message
    ]
    return this.write('commit', Buffer.from(lines.join('\n')))
  }

  /** The commit a ref (refs/heads/main, say) points at; undefined when there is no such ref. */
  async ref(name: string): Promise<string | undefined> {
    const loose = await readFile(path.join(this.gitDir, name), 'utf8').catch(() => undefined)
    return loose === undefined ? this.packed.ref(name) : loose.trim()
  }

  /**
   * Points a ref at `sha` if it still points at `expected` (undefined: if it does not exist), as
   * git does: under its lock file, so that of two updates at once, from the double or from a git
   * process, one fails rather than undoing the other. False when it moved or is being moved.
   */
  async updateRef(name: string, sha: string, expected: string | undefined): Promise<boolean> {
    const file = path.join(this.gitDir, name)
    const lock = `${file}.lock`
    await mkdir(path.dirname(file), { recursive: true })
    const handle = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined
      throw error
    })
    if (!handle) return false
    let current: string | undefined
    try {
      current = await this.ref(name)
      await handle.writeFile(`${sha}\n`)
    } catch (error) {
      await rm(lock, { force: true })
      throw error
    } finally {
      await handle.close()
    }
    if (current !== expected) {
      await rm(lock, { force: true })
      return false
    }
    await rename(lock, file)
    return true
  }

  /** Whether `ancestor` is `sha` or one of its ancestors. */
  async isAncestor(ancestor: string, sha: string): Promise<boolean> {
    const seen = new Set<string>()
    const queue = [sha]
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (next === ancestor) return true
      if (seen.has(next)) continue
      seen.add(next)
      queue.push(...((await this.readCommit(next))?.parents ?? []))
    }
    return false
  }

  private objectPath(sha: string): string {
    return path.join(this.gitDir, 'objects', sha.slice(0, 2), sha.slice(2))
  }
}

/** Git orders a tree's entries by name, a subtree's name as if it ended with a slash. */
function sortKey(entry: TreeEntry): Buffer {
  return Buffer.from(entry.mode === '40000' ? `${entry.name}/` : entry.name)
}

/** Written whole or not at all, as git writes its files, so that a git process never reads half. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.${process.hrtime.bigint()}.tmp`
  await writeFile(temporary, data)
  await rename(temporary, file)
}
