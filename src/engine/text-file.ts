// Small files the tools write into the workspace (the lockfile, a starter configuration, a preview):
// through real folders only, by renaming a new file into place, so a link planted where the file
// or a folder goes is replaced or refused, never followed.

import { unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { newPartialPath, settled } from './transfer/partials.js'
import { replaceFile, WorkspaceFolders } from './workspace.js'

export async function writeWorkspaceText(
  workspace: string,
  absolutePath: string,
  text: string | Uint8Array
): Promise<void> {
  await new WorkspaceFolders(workspace).make(path.dirname(absolutePath))
  const temporary = newPartialPath(path.dirname(absolutePath))
  try {
    await writeFile(temporary, text, { flag: 'wx' })
    await replaceFile(temporary, absolutePath)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  } finally {
    settled(temporary)
  }
}
