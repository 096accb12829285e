import { queryEntries, queryTags, type CatalogSession } from './echo3d/client.js'
import { explainFailure } from './echo3d/explain.js'
import type { EntryInfo } from './echo3d/metadata.js'
import { ActionError } from './errors.js'
import type { ActionInputs } from './inputs/inputs.js'
import { planAssets, type Plan } from './plan.js'
import type { Logger } from './report/log.js'

/** Asks echo3D for the selected entries' metadata (one query per batch), then plans every file. */
export async function resolvePlan(
  inputs: ActionInputs,
  session: CatalogSession,
  log: Logger
): Promise<Plan> {
  const known = new Map<string, EntryInfo>()
  let taggedEntries: EntryInfo[] = []
  try {
    if (inputs.entries.length > 0) {
      const ids = inputs.entries.map(selection => selection.id)
      for (const entry of await queryEntries(session, ids)) known.set(entry.id, entry)
    }
    if (inputs.tags.length > 0) {
      taggedEntries = await queryTags(session, inputs.tags)
      for (const entry of taggedEntries) known.set(entry.id, entry)
      const selected = `Tags ${inputs.tags.join(', ')} selected ${taggedEntries.length} entries`
      if (taggedEntries.length > 0) log.info(selected)
      else log.warning(`${selected}: check the tag names in echo3D (they are case-sensitive)`)
    }
  } catch (error) {
    throw new ActionError(`The metadata query failed: ${explainFailure(error, { kind: 'query' })}`)
  }
  const plan = planAssets({
    entries: inputs.entries,
    taggedEntries,
    known,
    files: inputs.files,
    defaultFormats: inputs.defaultFormats,
    convertMissing: inputs.convertMissing,
    fileNameTemplate: inputs.fileNameTemplate,
    destination: inputs.destination
  })
  for (const asset of plan.assets) {
    const how = asset.method.kind === 'convert' ? 'convert' : `storage ID ${asset.method.storageId}`
    log.info(`${asset.label} -> ${asset.relativePath} (${how})`)
  }
  return plan
}
