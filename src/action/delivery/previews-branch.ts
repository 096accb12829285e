// The pull request's pictures: committed to a branch of their own (`previews-branch`), one commit
// on the base's tip that each run replaces, so that its history stays one commit long; and linked
// from the description by URLs pinned to that commit, on the server the run is on (GHES too).

import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { DeliveredFile, LinkedPreview, Previews } from '../../model.js'
import { plural } from '../../quantities.js'
import type { Logger } from '../log.js'
import type { CommitBackend } from './backend.js'
import type { Repository } from './github.js'

/** The folder the pictures lie in, on the previews branch. */
const PICTURES_FOLDER = 'previews'

interface PreviewsTarget {
  backend: CommitBackend
  repository: Repository
  /** The commit the pictures' commit goes on: the pull request's base. */
  baseTip: string
  branch: string
  serverUrl: string
}

export async function publishPreviews(
  target: PreviewsTarget,
  previews: Previews | undefined,
  log: Logger
): Promise<LinkedPreview[]> {
  const items = previews?.items ?? []
  const files = await pictureFiles(previews)
  if (files.length === 0) return items
  // Each name is encoded before anything is committed: one that no URL can hold fails first.
  const names = new Map(files.map(file => [file.absolutePath, urlName(file.absolutePath)]))
  const message = `Previews of ${plural(items.length, 'echo3D model')}`
  const commit = await target.backend.createCommit(target.baseTip, files, message)
  await target.backend.moveBranch(target.branch, commit, true)
  log.info(`Committed ${files.length} preview pictures to ${target.branch}: ${commit}`)
  const url = (file: string | undefined) =>
    file && pictureUrl(target, commit, names.get(file) ?? '')
  return items.map(item => ({
    ...item,
    ...(item.before ? { beforeUrl: url(item.before) } : {}),
    ...(item.after ? { afterUrl: url(item.after) } : {})
  }))
}

/** The pictures as files to commit or upload, under `previews/`. */
export async function pictureFiles(previews: Previews | undefined): Promise<DeliveredFile[]> {
  const items = previews?.items ?? []
  const pictures = items.flatMap(item => [item.before, item.after].flatMap(file => file ?? []))
  return Promise.all(pictures.map(pictureFile))
}

async function pictureFile(absolutePath: string): Promise<DeliveredFile> {
  return {
    path: `${PICTURES_FOLDER}/${path.basename(absolutePath)}`,
    absolutePath,
    entry: null,
    format: 'png',
    bytes: (await stat(absolutePath)).size
  }
}

/** A picture's file name, as a URL's last segment. */
function urlName(file: string): string {
  return encodeURIComponent(path.basename(file))
}

/** The picture's raw bytes at that commit: the URL never changes what it shows. */
function pictureUrl(target: PreviewsTarget, commit: string, name: string): string {
  const { owner, repo } = target.repository
  const server = target.serverUrl.replace(/\/+$/, '')
  // Inside an HTML attribute in the description: a quote there could end it.
  return `${server}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/raw/${commit}/${PICTURES_FOLDER}/${name}`.replace(
    /"/g,
    '%22'
  )
}
