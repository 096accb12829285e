// The `.meta` files of a Unity project: one beside every file the action is responsible for under
// Assets/ and every folder between, written where there is none; kept, byte for byte, where there
// is one (Unity's importer settings, tuned by a person, live there); moved along with a model that
// moved; deleted with a pruned model, and with a folder of the action's that prune emptied (in a
// shard too: a folder another shard fills meanwhile gets its `.meta` again on the next run). Every
// write goes through real folders, into a new file that never replaces one: the rules of the asset
// writer. A `.meta` beside a record that prune found already gone is touched only when it is
// exactly what the action wrote: a lockfile from a pull request may record any path.

import { link, lstat, readdir, rmdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { UnityMetaError, WorkspaceBoundaryError } from '../../errors.js'
import type { FileRecord, MetaFile } from '../../model.js'
import { isBelow, isInside, workspaceRelative } from '../naming.js'
import { newPartialPath, settled } from '../transfer/partials.js'
import { readWorkspaceText, replaceFile, WorkspaceFolders } from '../workspace.js'
import { fileMetaText, folderMetaText, guidFor, guidOf } from './meta-text.js'
import type { UnityProject } from './project.js'

/** Unity's `.meta` files are a few KB; a model's importer settings stay well under this. */
const MAX_META_BYTES = 1024 * 1024
/** Other GUIDs tried for a path whose own is taken (by a `.meta` that moved away from it). */
const MAX_GUID_TRIES = 16

export interface MetaScope {
  workspace: string
  project: UnityProject
  /** Absolute: the folders below it that prune empties are removed. */
  destination: string
}

type Tracked = Pick<FileRecord, 'path' | 'entry' | 'format'>

/** Paths are relative to the workspace. */
export interface MetaRun {
  /** The files the action is responsible for after the run (its models, the lockfile). */
  files: readonly Tracked[]
  /** What prune removed, and those of them proven the recorded file when deleted. */
  pruned: readonly Tracked[]
  deleted: readonly Tracked[]
  /** Every file the lockfile recorded, every shard's: their GUIDs are taken. */
  previous: readonly Tracked[]
}

export interface MetaChanges {
  written: MetaFile[]
  kept: MetaFile[]
  removed: string[]
}

/** A `.meta` in place: its text, where it is a regular file the action could read. */
interface MetaOnDisk {
  meta: MetaFile
  text?: string
}

export async function syncMetas(scope: MetaScope, run: MetaRun): Promise<MetaChanges> {
  const metas = new MetaWriter(scope)
  const changes: MetaChanges = { written: [], kept: [], removed: [] }
  // The GUIDs the recorded files' `.meta` held before the run, every shard's, are taken: whatever
  // this run or another shard prunes, every shard sees the same ones. Prune moves and deletes
  // `.meta` files, so they are read before it; otherwise only when a new one is to be written.
  const before = run.pruned.length > 0 ? await metas.readBeside(run.previous) : undefined
  await metas.followPruned(run, changes)
  const moved = new Set(changes.written.map(meta => meta.path))
  const items = (await itemsNeedingMetas(scope, run.files)).filter(
    item => !moved.has(workspaceRelative(scope.workspace, item.metaPath))
  )
  const missing: MetaItem[] = []
  for (const item of items) {
    const existing = await metas.read(item.metaPath)
    if (existing) changes.kept.push(existing.meta)
    else missing.push(item)
  }
  if (missing.length === 0) return changes
  const read = new Set(changes.kept.map(meta => meta.path))
  const unread = run.previous.filter(file => !read.has(`${file.path}.meta`))
  const recorded = before ?? (await metas.readBeside(unread))
  const guids = new GuidRegister([...changes.kept, ...changes.written, ...recorded])
  for (const item of missing) {
    const written = await metas.create(item, guids)
    ;(written.created ? changes.written : changes.kept).push(written.meta)
  }
  return changes
}

/** A `.meta` a pull would write: beside a file on disk (`file`), or beside a folder between. */
export interface MissingMeta {
  path: string
  file?: Tracked
}

/** `mode: check`: the `.meta` files that are not there, where a pull would write them. */
export async function findMissingMetas(
  scope: MetaScope,
  files: readonly Tracked[]
): Promise<MissingMeta[]> {
  const metas = new MetaWriter(scope)
  const byTarget = new Map(files.map(file => [path.join(scope.workspace, file.path), file]))
  const missing: MissingMeta[] = []
  for (const item of await itemsNeedingMetas(scope, files)) {
    if (await metas.read(item.metaPath)) continue
    const file = item.folder ? undefined : byTarget.get(item.target)
    missing.push({ path: workspaceRelative(scope.workspace, item.metaPath), file })
  }
  return missing
}

/** `prune --dry-run`: the `.meta` files that prune would take along with these files. */
export function metasPruneWouldTake(
  scope: MetaScope,
  files: readonly Tracked[]
): Promise<string[]> {
  return new MetaWriter(scope).wouldTake(files)
}

interface MetaItem {
  /** Absolute: the file or folder. */
  target: string
  metaPath: string
  folder: boolean
}

/**
 * The files under Assets/ that are on disk, and every folder between Assets and them, sorted by
 * path. Unity ignores what ends in `~`, and gives it no `.meta`.
 */
async function itemsNeedingMetas(scope: MetaScope, files: readonly Tracked[]): Promise<MetaItem[]> {
  const { assets } = scope.project
  const items = new Map<string, MetaItem>()
  const add = (target: string, folder: boolean) =>
    items.set(target, { target, metaPath: `${target}.meta`, folder })
  const folders = new WorkspaceFolders(scope.workspace)
  for (const file of files) {
    const target = path.join(scope.workspace, file.path)
    if (!isBelow(assets, target) || isIgnoredByUnity(assets, target)) continue
    if (!(await isFileInRealFolders(folders, target))) continue
    add(target, false)
    for (let folder = path.dirname(target); isBelow(assets, folder); folder = path.dirname(folder))
      add(folder, true)
  }
  return [...items.values()].sort((a, b) => (a.target < b.target ? -1 : 1))
}

/**
 * A regular file reached through real folders only. The folders are looked at first: a look
 * through a link would tell a pull request's log whether a file outside the workspace exists.
 */
async function isFileInRealFolders(folders: WorkspaceFolders, target: string): Promise<boolean> {
  try {
    await folders.check(path.dirname(target))
  } catch (error) {
    if (error instanceof WorkspaceBoundaryError) return false
    throw error
  }
  return (await lstat(target).catch(() => undefined))?.isFile() === true
}

/** The same text, whatever its line endings: a checkout on Windows may turn them into CRLF. */
function sameText(text: string | undefined, expected: string): boolean {
  return text?.replace(/\r\n/g, '\n') === expected
}

function isIgnoredByUnity(assets: string, target: string): boolean {
  return path
    .relative(assets, target)
    .split(path.sep)
    .some(name => name.endsWith('~'))
}

/** The GUIDs seen in the run, and which `.meta` holds each: a new one must match none. */
class GuidRegister {
  private readonly owners = new Map<string, string>()

  constructor(metas: readonly MetaFile[]) {
    for (const meta of metas) this.hold(meta)
  }

  private hold(meta: MetaFile): void {
    if (meta.guid && !this.owners.has(meta.guid)) this.owners.set(meta.guid, meta.path)
  }

  /**
   * The path's own GUID; where another `.meta` holds it (one that moved away from this path with
   * its model), the next of the path's others, the same on every runner for the same project.
   */
  claim(projectPath: string, metaPath: string): string {
    for (let attempt = 0; attempt < MAX_GUID_TRIES; attempt++) {
      const guid = guidFor(attempt === 0 ? projectPath : `${projectPath}\0${attempt}`)
      const owner = this.owners.get(guid)
      if (owner !== undefined && owner !== metaPath) continue
      this.owners.set(guid, metaPath)
      return guid
    }
    throw new UnityMetaError(
      `Every GUID the action would give ${metaPath} is held by another .meta in the project: nothing was written for it`
    )
  }
}

class MetaWriter {
  private readonly folders: WorkspaceFolders

  constructor(private readonly scope: MetaScope) {
    this.folders = new WorkspaceFolders(scope.workspace)
  }

  private relative(absolute: string): string {
    return workspaceRelative(this.scope.workspace, absolute)
  }

  private projectPath(absolute: string): string {
    return path.relative(this.scope.project.root, absolute).split(path.sep).join('/')
  }

  /** A `.meta` already in place, with its text and GUID where it is a regular file that holds one. */
  async read(metaPath: string): Promise<MetaOnDisk | undefined> {
    await this.folders.check(path.dirname(metaPath))
    const stats = await lstat(metaPath).catch(() => undefined)
    if (!stats) return undefined
    const meta: MetaFile = { path: this.relative(metaPath) }
    if (!stats.isFile() || stats.size > MAX_META_BYTES) return { meta }
    // Unreadable (it grew, or became a link, since the look): kept all the same, GUID unknown.
    const text = await readWorkspaceText(
      this.scope.workspace,
      metaPath,
      MAX_META_BYTES,
      () => new UnityMetaError(`${meta.path} is larger than a .meta file`)
    ).catch(() => undefined)
    const guid = text === undefined ? undefined : guidOf(text)
    return { meta: guid ? { ...meta, guid } : meta, text }
  }

  /** The `.meta` files beside recorded files, where there are some under Assets. */
  async readBeside(files: readonly Tracked[]): Promise<MetaFile[]> {
    const metas: MetaFile[] = []
    for (const file of files) {
      const metaPath = `${path.join(this.scope.workspace, file.path)}.meta`
      if (!isBelow(this.scope.project.assets, metaPath)) continue
      const existing = await this.read(metaPath).catch(() => undefined)
      if (existing) metas.push(existing.meta)
    }
    return metas
  }

  /**
   * Prune's rule, without its proof: a `.meta` it can read, beside a file on disk (prune deletes
   * the file, and its `.meta`, when the file is the recorded one) or, where the file is already
   * gone, exactly what the action wrote.
   */
  async wouldTake(files: readonly Tracked[]): Promise<string[]> {
    const taken: string[] = []
    for (const file of files) {
      const target = path.join(this.scope.workspace, file.path)
      if (!isBelow(this.scope.project.assets, target)) continue
      const existing = await this.read(`${target}.meta`).catch(() => undefined)
      if (existing?.text === undefined) continue
      const onDisk = (await lstat(target).catch(() => undefined))?.isFile() === true
      if (onDisk || sameText(existing.text, this.ownFileMeta(target)))
        taken.push(existing.meta.path)
    }
    return taken
  }

  /** The text the action writes for the file's `.meta`, with the path's own GUID. */
  private ownFileMeta(target: string): string {
    return fileMetaText(guidFor(this.projectPath(target)))
  }

  /** A new `.meta`, unless one appeared meanwhile: that one is kept. */
  async create(item: MetaItem, guids: GuidRegister): Promise<{ created: boolean; meta: MetaFile }> {
    const metaPath = this.relative(item.metaPath)
    const guid = guids.claim(this.projectPath(item.target), metaPath)
    const meta = { path: metaPath, guid }
    const text = item.folder ? folderMetaText(guid) : fileMetaText(guid)
    if (await this.placeNew(item.metaPath, text)) return { created: true, meta }
    return { created: false, meta: (await this.read(item.metaPath))?.meta ?? meta }
  }

  /** Writes a new file and puts it in place only where nothing is: never replaces, never follows. */
  private async placeNew(target: string, text: string): Promise<boolean> {
    await this.folders.check(path.dirname(target))
    const temporary = newPartialPath(path.dirname(target))
    try {
      await writeFile(temporary, text, { flag: 'wx' })
      return await this.linkInPlace(temporary, target)
    } finally {
      await unlink(temporary).catch(() => undefined)
      settled(temporary)
    }
  }

  /**
   * A hard link fails where anything is in the way, a link included; where the file system has
   * no hard links, the file is renamed into a place that was free a moment before.
   */
  private async linkInPlace(from: string, to: string): Promise<boolean> {
    try {
      await link(from, to)
      return true
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') return false
      if (await lstat(to).catch(() => undefined)) return false
      await replaceFile(from, to)
      return true
    }
  }

  /**
   * A pruned model's `.meta` moves to the model of the same entry and format now at another path,
   * when that one has none, so that it keeps its GUID; otherwise it is deleted. Folders of the
   * action's that prune emptied below the destination go too, with their `.meta`.
   */
  async followPruned(run: MetaRun, changes: MetaChanges): Promise<void> {
    const proven = new Set(run.deleted.map(file => file.path))
    const claimed = new Set<string>()
    for (const gone of run.pruned) {
      const metaPath = `${path.join(this.scope.workspace, gone.path)}.meta`
      if (!isBelow(this.scope.project.assets, metaPath)) continue
      const existing = await this.read(metaPath)
      if (existing?.text === undefined) continue
      const action = this.ownFileMeta(metaPath.slice(0, -'.meta'.length))
      // A deleted model proved to be its record; a record already gone proves nothing.
      const ours = proven.has(gone.path) || sameText(existing.text, action)
      if (!ours) continue
      const heir = await this.heirOf(gone, run.files, claimed)
      if (heir && (await this.move(metaPath, heir))) {
        claimed.add(heir)
        const movedFrom = existing.meta.path
        changes.written.push({ ...existing.meta, path: this.relative(heir), movedFrom })
        continue
      }
      await unlink(metaPath)
      changes.removed.push(existing.meta.path)
    }
    for (const gone of run.pruned) await this.removeEmptied(gone, changes)
  }

  /** The `.meta` path of the file that took a pruned one's place: same entry and format. */
  private async heirOf(
    gone: Tracked,
    files: readonly Tracked[],
    claimed: ReadonlySet<string>
  ): Promise<string | undefined> {
    if (gone.entry === null) return undefined
    for (const file of files) {
      if (file.entry !== gone.entry || file.format !== gone.format) continue
      const metaPath = `${path.join(this.scope.workspace, file.path)}.meta`
      if (!isBelow(this.scope.project.assets, metaPath) || claimed.has(metaPath)) continue
      if (!(await lstat(metaPath).catch(() => undefined))) return metaPath
    }
    return undefined
  }

  private async move(from: string, to: string): Promise<boolean> {
    await this.folders.check(path.dirname(to))
    if (!(await this.linkInPlace(from, to))) return false
    // Renamed rather than linked, where the file system has no hard links: nothing left to remove.
    await unlink(from).catch((error: { code?: unknown }) => {
      if (error.code !== 'ENOENT') throw error
    })
    return true
  }

  /**
   * The folders of a pruned file, up to the destination, while prune left them empty and their
   * `.meta` is the one the action gave them (a folder a person made keeps its place).
   */
  private async removeEmptied(gone: Tracked, changes: MetaChanges): Promise<void> {
    let folder = path.dirname(path.join(this.scope.workspace, gone.path))
    while (isBelow(this.scope.destination, folder)) {
      await this.folders.check(folder)
      const entries = await readdir(folder).catch(() => undefined)
      if (entries === undefined || entries.length > 0) return
      const metaPath = `${folder}.meta`
      const meta = isInside(this.scope.project.assets, metaPath)
        ? await this.read(metaPath)
        : undefined
      if (meta && !sameText(meta.text, folderMetaText(guidFor(this.projectPath(folder))))) return
      await rmdir(folder)
      if (meta) {
        await unlink(metaPath)
        changes.removed.push(meta.meta.path)
      }
      folder = path.dirname(folder)
    }
  }
}
