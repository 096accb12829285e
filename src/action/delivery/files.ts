// The files a delivery carries, and the limits GitHub sets on them.

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { formatBytes } from '../../quantities.js'
import type { DeliveredFile } from '../../model.js'
import type { CommitMethod } from '../../settings/delivery.js'

/** GitHub rejects files over 100 MiB; the REST API's blob endpoint fails well before that. */
export const GITHUB_FILE_LIMIT = 100 * 1024 * 1024
const API_BLOB_LIMIT = 40 * 1024 * 1024
const LARGE_FILE_WARNING = 50 * 1024 * 1024

export interface SizeCheck {
  errors: string[]
  warnings: string[]
}

/** The files large enough that Git LFS matters: with `commit-method: git`, git is asked. Pure. */
export function largeFilePaths(files: readonly DeliveredFile[]): string[] {
  return files
    .filter(file => !file.deleted && file.bytes > LARGE_FILE_WARNING)
    .map(file => file.path)
}

/**
 * Which files cannot be committed the chosen way, and which will make the repository heavy. A file
 * that git stores through Git LFS (`lfsTracked`, with `commit-method: git`) is none of these. Pure.
 */
export function checkCommitSizes(
  files: readonly DeliveredFile[],
  method: CommitMethod,
  lfsTracked: ReadonlySet<string> = new Set()
): SizeCheck {
  const errors: string[] = []
  const warnings: string[] = []
  for (const file of files) {
    const size = `${file.path} (${formatBytes(file.bytes)})`
    if (method === 'git' && lfsTracked.has(file.path)) continue
    if (file.bytes > GITHUB_FILE_LIMIT) {
      errors.push(
        `${size} is over GitHub's 100 MiB file limit. Use \`upload-artifact: true\` instead of committing it, or \`commit-method: git\` in a repository that tracks it with Git LFS`
      )
    } else if (method === 'api' && file.bytes > API_BLOB_LIMIT) {
      errors.push(
        `${size} is too large for GitHub's blob API (about 40 MiB). Use \`commit-method: git\` (with Git LFS for large models), or \`upload-artifact: true\``
      )
    } else if (file.bytes > LARGE_FILE_WARNING) {
      warnings.push(
        `${size} is over 50 MiB: GitHub warns on such files. Consider Git LFS or \`upload-artifact: true\``
      )
    }
  }
  return { errors, warnings }
}

/** The SHA-1 git gives a file's content as a blob, so unchanged files are never uploaded. */
export async function gitBlobSha(absolutePath: string): Promise<string> {
  const { size } = await stat(absolutePath)
  const hash = createHash('sha1').update(`blob ${size}\0`)
  for await (const chunk of createReadStream(absolutePath)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
