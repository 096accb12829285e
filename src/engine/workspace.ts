// The workspace is a boundary on disk, not only in text. Paths from the workspace, the lockfile
// and echo3D are checked as text when they are read; here they are checked again on disk at the
// moment of use: every folder between the workspace and the file must be a real folder, never a
// symbolic link or a junction, and a file that is read or deleted must be a regular file. So a
// link that a pull request adds cannot lead a write, a hash or a deletion outside the workspace.

import { constants } from 'node:fs'
import { lstat, mkdir, open, rename, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { WorkspaceBoundaryError } from '../errors.js'
import { isInside, workspaceRelative } from './naming.js'

/** Opening a file does not follow a link in its last step, where the system can promise that. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0
/** Opening a pipe for reading does not wait for a writer: it is refused after the open instead. */
const NO_BLOCK = constants.O_NONBLOCK ?? 0

/**
 * The folders of the workspace that one run has checked or made: thousands of files share a few
 * folders, and each is looked at on disk once.
 */
export class WorkspaceFolders {
  private readonly checked = new Set<string>()
  private readonly made = new Set<string>()

  constructor(readonly workspace: string) {}

  /**
   * Every folder from the workspace down to `folder` that exists is a real folder; the ones that
   * do not exist yet are below the last one that does.
   */
  async check(folder: string): Promise<void> {
    if (this.checked.has(folder)) return
    await checkEachFolder(this.workspace, folder)
    this.checked.add(folder)
  }

  /** Makes `folder` and the folders above it, as real folders inside the workspace. */
  async make(folder: string): Promise<void> {
    if (this.made.has(folder)) return
    await checkEachFolder(this.workspace, folder)
    await mkdir(folder, { recursive: true })
    // A link put in place of a folder while mkdir ran would be followed by the next write.
    await checkEachFolder(this.workspace, folder)
    this.made.add(folder)
    this.checked.add(folder)
  }

  /**
   * Opens a regular file inside the workspace for reading, through real folders only; undefined
   * when there is no file. A link, a folder, a device or a pipe in its place is refused.
   */
  async openFile(filePath: string): Promise<FileHandle | undefined> {
    await this.check(path.dirname(filePath))
    if (NO_FOLLOW === 0 && !(await isRegularFile(this.workspace, filePath))) return undefined
    const file = await openNoFollow(this.workspace, filePath)
    if (!file) return undefined
    if (!(await file.stat()).isFile()) {
      await file.close()
      throw notARegularFile(this.workspace, filePath)
    }
    return file
  }
}

async function checkEachFolder(workspace: string, folder: string): Promise<void> {
  if (!isInside(workspace, folder)) {
    throw new WorkspaceBoundaryError(`${folder} is outside the workspace`)
  }
  const blocker = await firstNotAFolder(workspace, folder)
  if (blocker?.link) throw linkRefused(workspace, blocker.path)
  if (blocker) throw notAFolder(workspace, blocker.path)
}

/**
 * The first of the paths from below `root` down to `folder` that exists and is not a real folder
 * (a link, a file): what a write there would follow or fail on. Undefined when there is none; the
 * folders that do not exist yet are below the last one that does.
 */
export async function firstNotAFolder(
  root: string,
  folder: string
): Promise<{ path: string; link: boolean } | undefined> {
  let current = root
  for (const segment of path.relative(root, folder).split(path.sep).filter(Boolean)) {
    current = path.join(current, segment)
    const stats = await lstat(current).catch(() => undefined)
    if (!stats) return undefined
    if (!stats.isDirectory()) return { path: current, link: stats.isSymbolicLink() }
  }
  return undefined
}

/** Where the system cannot refuse a link at open (Windows), it is looked at first. */
async function isRegularFile(workspace: string, filePath: string): Promise<boolean> {
  const stats = await lstat(filePath).catch(() => undefined)
  if (!stats) return false
  if (stats.isSymbolicLink()) throw linkRefused(workspace, filePath)
  if (!stats.isFile()) throw notARegularFile(workspace, filePath)
  return true
}

async function openNoFollow(workspace: string, filePath: string): Promise<FileHandle | undefined> {
  try {
    return await open(filePath, constants.O_RDONLY | NO_FOLLOW | NO_BLOCK)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'ENOENT') return undefined
    // What O_NOFOLLOW answers for a link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
    if (code === 'ELOOP' || code === 'EMLINK') throw linkRefused(workspace, filePath)
    throw error
  }
}

/** Errors with which Windows refuses a rename while an antivirus or indexer holds the file. */
const BUSY_CODES = new Set(['EPERM', 'EBUSY', 'EACCES'])
const RENAME_DELAYS_MS = [50, 100, 200, 400, 800]

/**
 * Moves a finished file into place, replacing what is there. On Windows a file that a scanner
 * holds open cannot be replaced for a moment: the rename is tried again, a few times, briefly.
 */
export async function replaceFile(
  from: string,
  to: string,
  move: (from: string, to: string) => Promise<void> = rename
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await move(from, to)
      return
    } catch (error) {
      if (attempt >= RENAME_DELAYS_MS.length || !isBusy(error)) throw error
      await new Promise(resolve => setTimeout(resolve, RENAME_DELAYS_MS[attempt]))
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && BUSY_CODES.has(code)
}

function linkRefused(workspace: string, link: string): WorkspaceBoundaryError {
  return new WorkspaceBoundaryError(
    `'${workspaceRelative(workspace, link)}' is a symbolic link or junction, and the action never follows one: it could lead outside the workspace. Replace it with a real folder (or file), or point \`path\` at a folder that is not reached through a link`
  )
}

function notAFolder(workspace: string, target: string): WorkspaceBoundaryError {
  return new WorkspaceBoundaryError(
    `'${workspaceRelative(workspace, target)}' is in the way of a folder the action needs: move or remove it`
  )
}

function notARegularFile(workspace: string, target: string): WorkspaceBoundaryError {
  return new WorkspaceBoundaryError(
    `'${workspaceRelative(workspace, target)}' is not a regular file (a folder, a device or a pipe): the action reads and deletes only regular files. Move or remove it`
  )
}

/**
 * The text of a regular file inside the workspace, read no further than `maxBytes`; undefined
 * when there is no file. A larger file throws `tooLarge`'s error.
 */
export async function readWorkspaceText(
  workspace: string,
  filePath: string,
  maxBytes: number,
  tooLarge: () => Error
): Promise<string | undefined> {
  const file = await new WorkspaceFolders(workspace).openFile(filePath)
  if (!file) return undefined
  try {
    const { size } = await file.stat()
    if (size > maxBytes) throw tooLarge()
    const buffer = Buffer.alloc(size)
    const { bytesRead } = await file.read(buffer, 0, size, 0)
    return buffer.toString('utf8', 0, bytesRead)
  } finally {
    await file.close()
  }
}
