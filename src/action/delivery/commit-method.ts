// Which way a commit goes: the one `commit-method` names, except that a commit of more blobs than
// GitHub lets the API create in an hour goes through git, which has no such limit.

import { DeliveryError } from '../../errors.js'
import { formatCount } from '../../quantities.js'
import type { DeliveredFile } from '../../model.js'
import type { CommitMethod } from '../../settings/delivery.js'
import type { Logger } from '../log.js'
import type { ApiBackend } from './api-backend.js'
import type { CommitBackend } from './backend.js'
import type { GitBackend } from './git-backend.js'
import { API_BLOBS_PER_COMMIT } from './rate-limits.js'

export interface ChosenBackend {
  backend: CommitBackend
  /** Why a commit asked of the API goes through git, for the log and the summary. */
  gitInsteadOfApi?: string
}

export async function chooseBackend(
  method: CommitMethod,
  backends: { api: ApiBackend; git: GitBackend },
  branch: string,
  files: readonly DeliveredFile[],
  log: Logger
): Promise<ChosenBackend> {
  if (method === 'git') return { backend: backends.git }
  const blobs = await blobsPastApiAllowance(backends.api, branch, files)
  if (blobs === undefined) return { backend: backends.api }
  const reason = `${formatCount(blobs)} files differ from ${branch}: more blobs than GitHub lets its API create in an hour (the action sends at most ${API_BLOBS_PER_COMMIT} for one commit)`
  if (!(await backends.git.hasRemote())) {
    throw new DeliveryError(
      `Cannot commit through the API: ${reason}. Check out the repository with actions/checkout before this step, so that the action can push them with git, or set \`commit-method: git\``
    )
  }
  log.info(
    `${reason}. Committing with git from the checkout instead; GitHub does not sign such a commit`
  )
  return { backend: backends.git, gitInsteadOfApi: reason }
}

/**
 * The blobs a commit through the API would create on the branch, when more than it may. A
 * selection of fewer files costs no request.
 */
async function blobsPastApiAllowance(
  api: ApiBackend,
  branch: string,
  files: readonly DeliveredFile[]
): Promise<number | undefined> {
  if (files.filter(file => !file.deleted).length <= API_BLOBS_PER_COMMIT) return undefined
  const tip = await api.tip(branch)
  // A branch that does not exist fails later, with the message that says so.
  if (!tip) return undefined
  const blobs = (await api.changedFiles(tip, files)).filter(file => !file.deleted).length
  return blobs > API_BLOBS_PER_COMMIT ? blobs : undefined
}
