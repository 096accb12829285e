// The pictures of the models, delivered beside them: committed to a branch of their own
// (`previews-branch`), one commit on the base's tip that each run replaces, so that its history
// stays one commit long, and linked from the description and the summary by URLs pinned to that
// commit, on the server the run is on (GHES too); with `upload-artifact`, an artifact of their
// own. Pictures that cannot be delivered leave the models' delivery as it is: a warning, and with
// `previews: required` a failed step once the summary says what was delivered.

import { stat } from 'node:fs/promises'
import path from 'node:path'
import { DeliveryError, errorMessage } from '../../errors.js'
import type { DeliveredFile, DeliveryOutcome, LinkedPreview, Previews } from '../../model.js'
import { plural } from '../../quantities.js'
import type { Logger } from '../log.js'
import { uploadArtifact } from './artifact.js'
import type { CommitBackend } from './backend.js'
import type { Repository } from './github.js'

/** The folder the pictures lie in, on the previews branch. */
const PICTURES_FOLDER = 'previews'

interface PreviewsTarget {
  backend: CommitBackend
  repository: Repository
  /** The commit the pictures' commit goes on: the pull request's base, or the commit pushed. */
  baseTip: string
  /** The previews branch, which the pictures' commit replaces. */
  branch: string
  serverUrl: string
}

type PicturesDelivered = Pick<DeliveryOutcome, 'previews' | 'previewsProblem'>

/** The pictures on the previews branch, linked; unlinked, with the problem, where they are not. */
export async function commitPictures(
  target: PreviewsTarget & { deliveryBranch: string },
  previews: Previews | undefined,
  log: Logger
): Promise<PicturesDelivered> {
  const items = previews?.items ?? []
  if (items.length === 0) return {}
  try {
    if (target.branch === target.deliveryBranch) {
      throw new DeliveryError(
        `\`previews-branch\` is ${target.branch}, the branch the models go to, which the pictures' commit would replace. Set \`previews-branch\` to a branch of its own`
      )
    }
    return { previews: await publishPreviews(target, previews, log) }
  } catch (error) {
    const previewsProblem = notDelivered('commit', error, log)
    return { previews: items.map(uncommitted), previewsProblem }
  }
}

/** The pictures as an artifact of their own, named `name`. */
export async function uploadPictures(
  name: string,
  previews: Previews | undefined,
  retentionDays: number | undefined,
  log: Logger
): Promise<Pick<DeliveryOutcome, 'previewsArtifact' | 'previewsProblem'>> {
  const files = await pictureFiles(previews)
  if (!previews?.folder || files.length === 0) return {}
  try {
    const uploaded = await uploadArtifact(name, files, previews.folder, retentionDays)
    log.info(`Uploaded artifact ${uploaded.name} (id ${uploaded.id}): ${uploaded.url}`)
    return { previewsArtifact: uploaded }
  } catch (error) {
    return { previewsProblem: notDelivered('upload', error, log) }
  }
}

function notDelivered(what: string, error: unknown, log: Logger): string {
  const problem = `Could not ${what} the previews: ${errorMessage(error)}`
  log.warning(problem)
  return problem
}

/** A picture drawn that the previews branch did not take: the description says so. */
function uncommitted(item: LinkedPreview): LinkedPreview {
  const drawn = (['before', 'after'] as const).filter(side => item[side] !== undefined)
  const problems = drawn.map(side => `${side}: drawn, but not committed; the job log says why`)
  return { ...item, problems: [...item.problems, ...problems] }
}

async function publishPreviews(
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
async function pictureFiles(previews: Previews | undefined): Promise<DeliveredFile[]> {
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
