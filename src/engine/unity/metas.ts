// The `.meta` files of a Unity project: one beside every file the action is responsible for under
// Assets/ and every folder between, written where there is none; kept, byte for byte, where there
// is one (Unity's importer settings, tuned by a person, live there); moved along with a model that
// moved; deleted with a pruned model, and with a folder that prune emptied. Every write goes
// through real folders, into a new file that never replaces one: the rules of the asset writer.

import { link, lstat, readdir, rmdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { UnityMetaError } from '../../errors.js'
import type { FileRecord, MetaFile } from '../../model.js'
import { isBelow, isInside, workspaceRelative } from '../naming.js'
import { newPartialPath, settled } from '../transfer/partials.js'
import { readWorkspaceText, replaceFile, WorkspaceFolders } from '../workspace.js'
import { fileMetaText, folderMetaText, guidFor, guidOf } from './meta-text.js'
import type { UnityProject } from './project.js'

/** Unity's `.meta` files are a few KB; a model's importer settings stay well under this. */
const MAX_META_BYTES = 1024 * 1024

export interface MetaScope {
  workspace: string
  project: UnityProject
  /** Absolute: the folders below it that prune empties are removed. */
  destination: string
}

type Tracked = Pick<FileRecord, 'path' | 'entry' | 'format'>

export interface MetaChanges {
  written: MetaFile[]
  kept: MetaFile[]
  removed: string[]
}

/**
 * `files`: the files the action is responsible for after the run (its models, the lockfile);
 * `pruned`: those prune deleted or found gone. Paths are relative to the workspace.
 */
export async function syncMetas(
  scope: MetaScope,
  files: readonly Tracked[],
  pruned: readonly Tracked[]
): Promise<MetaChanges> {
  const metas = new MetaWriter(scope)
  const changes: MetaChanges = { written: [], kept: [], removed: [] }
  await metas.followPruned(files, pruned, changes)
  const moved = new Set(changes.written.map(meta => meta.path))
  const items = itemsNeedingMetas(scope, files).filter(
    item => !moved.has(workspaceRelative(scope.workspace, item.metaPath))
  )
  const missing: MetaItem[] = []
  for (const item of items) {
    const existing = await metas.read(item.metaPath)
    if (existing) changes.kept.push(existing)
    else missing.push(item)
  }
  const guids = new GuidRegister([...changes.kept, ...changes.written])
  for (const item of missing) {
    const written = await metas.create(item, guids)
    ;(written.created ? changes.written : changes.kept).push(written.meta)
  }
  return changes
}

interface MetaItem {
  /** Absolute: the file or folder. */
  target: string
  metaPath: string
  folder: boolean
}

/** The files under Assets/ and every folder between Assets and them, sorted by path. */
function itemsNeedingMetas(scope: MetaScope, files: readonly Tracked[]): MetaItem[] {
  const { assets } = scope.project
  const items = new Map<string, MetaItem>()
  const add = (target: string, folder: boolean) =>
    items.set(target, { target, metaPath: `${target}.meta`, folder })
  for (const file of files) {
    const target = path.join(scope.workspace, file.path)
    if (!isBelow(assets, target)) continue
    add(target, false)
    for (let folder = path.dirname(target); isBelow(assets, folder); folder = path.dirname(folder))
      add(folder, true)
  }
  return [...items.values()].sort((a, b) => (a.target < b.target ? -1 : 1))
}

/** The GUIDs seen in the run: a new one must match none. */
class GuidRegister {
  private readonly owners = new Map<string, string>()

  constructor(metas: readonly MetaFile[]) {
    for (const meta of metas) if (meta.guid) this.owners.set(meta.guid, meta.path)
  }

  claim(guid: string, metaPath: string): void {
    const owner = this.owners.get(guid)
    if (owner !== undefined && owner !== metaPath) {
      throw new UnityMetaError(
        `The GUID ${guid} for ${metaPath} is already the GUID of ${owner}: nothing was written for it. Give ${owner} a new GUID in Unity (delete the .meta and let Unity make one), then run again`
      )
    }
    this.owners.set(guid, metaPath)
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

  /** A `.meta` already in place, with its GUID where it is a readable file that holds one. */
  async read(metaPath: string): Promise<MetaFile | undefined> {
    await this.folders.check(path.dirname(metaPath))
    const stats = await lstat(metaPath).catch(() => undefined)
    if (!stats) return undefined
    const meta: MetaFile = { path: this.relative(metaPath) }
    if (!stats.isFile() || stats.size > MAX_META_BYTES) return meta
    // Unreadable (it grew, or became a link, since the look): kept all the same, GUID unknown.
    const text = await readWorkspaceText(
      this.scope.workspace,
      metaPath,
      MAX_META_BYTES,
      () => new UnityMetaError(`${meta.path} is larger than a .meta file`)
    ).catch(() => undefined)
    const guid = text === undefined ? undefined : guidOf(text)
    return guid ? { ...meta, guid } : meta
  }

  /** A new `.meta`, unless one appeared meanwhile: that one is kept. */
  async create(item: MetaItem, guids: GuidRegister): Promise<{ created: boolean; meta: MetaFile }> {
    const projectPath = path
      .relative(this.scope.project.root, item.target)
      .split(path.sep)
      .join('/')
    const guid = guidFor(projectPath)
    const meta = { path: this.relative(item.metaPath), guid }
    guids.claim(guid, meta.path)
    const text = item.folder ? folderMetaText(guid) : fileMetaText(guid)
    const created = await this.placeNew(item.metaPath, text)
    return created ? { created, meta } : { created, meta: (await this.read(item.metaPath)) ?? meta }
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
   * when that one has none, so that it keeps its GUID; otherwise it is deleted. Folders that
   * prune emptied below the destination go too, with their `.meta`.
   */
  async followPruned(
    files: readonly Tracked[],
    pruned: readonly Tracked[],
    changes: MetaChanges
  ): Promise<void> {
    const claimed = new Set<string>()
    for (const gone of pruned) {
      const metaPath = `${path.join(this.scope.workspace, gone.path)}.meta`
      if (!isInside(this.scope.project.assets, metaPath)) continue
      const meta = await this.read(metaPath)
      if (!meta || !(await this.isRegularFile(metaPath))) continue
      const heir = await this.heirOf(gone, files, claimed)
      if (heir && (await this.move(metaPath, heir))) {
        claimed.add(heir)
        changes.written.push({ ...meta, path: this.relative(heir), movedFrom: meta.path })
        continue
      }
      await unlink(metaPath)
      changes.removed.push(meta.path)
    }
    for (const gone of pruned) await this.removeEmptied(gone, changes)
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
    await unlink(from)
    return true
  }

  private async isRegularFile(filePath: string): Promise<boolean> {
    return (await lstat(filePath).catch(() => undefined))?.isFile() ?? false
  }

  /** The folders of a pruned file, up to the destination, while prune left them empty. */
  private async removeEmptied(gone: Tracked, changes: MetaChanges): Promise<void> {
    let folder = path.dirname(path.join(this.scope.workspace, gone.path))
    while (isBelow(this.scope.destination, folder)) {
      await this.folders.check(folder)
      const entries = await readdir(folder).catch(() => undefined)
      if (entries === undefined || entries.length > 0) return
      await rmdir(folder)
      const metaPath = `${folder}.meta`
      if (isBelow(this.scope.project.assets, folder) && (await this.isRegularFile(metaPath))) {
        await unlink(metaPath)
        changes.removed.push(this.relative(metaPath))
      }
      folder = path.dirname(folder)
    }
  }
}
