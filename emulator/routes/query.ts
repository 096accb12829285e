// `/query` does two jobs on echo3D: with `file=` it redirects to a stored file, and without it it
// answers the metadata of the entries that its parameters select.
import { baseName, uuidFor, type Collection, type StoredEntry } from '../collection.ts'
import { serveBytes, type RouteContext } from './context.ts'
import { handleFileRedirect } from './file-redirect.ts'

export function handleQuery(context: RouteContext): void {
  if (context.params.has('file')) handleFileRedirect(context)
  else handleMetadataQuery(context)
}

function handleMetadataQuery(context: RouteContext): void {
  const { collection, emulator } = context.state
  const selected = selectEntries(collection, context.params)
  const db = Object.fromEntries(
    selected.map(entry => [entry.spec.id, metadataOf(collection, entry)])
  )
  const bytes = Buffer.from(JSON.stringify({ apiKey: emulator.credentials.apiKey, db }))
  const target = [...context.params.keys()].join(',')
  serveBytes(context, 'query', target, { bytes, contentType: 'application/json' })
}

function selectEntries(collection: Collection, params: URLSearchParams): StoredEntry[] {
  const list = (name: string): string[] => (params.get(name) ?? '').split(',').filter(Boolean)
  const all = collection.all()
  if (params.has('entries') || params.has('entry')) {
    const ids = [...list('entries'), ...list('entry')]
    return ids.flatMap(id => collection.entry(id) ?? [])
  }
  if (params.has('tags'))
    return all.filter(entry => list('tags').some(tag => entry.spec.tags?.includes(tag)))
  if (params.has('filters'))
    return all.filter(entry => list('filters').every(tag => entry.spec.tags?.includes(tag)))
  if (params.has('filename'))
    return all.filter(entry => entry.spec.filename === params.get('filename'))
  return all
}

// The shape echo3D answers with, down to the fields the action ignores, so that the action's
// parser meets the real thing.
function metadataOf(collection: Collection, entry: StoredEntry): Record<string, unknown> {
  const hologram = hologramOf(entry)
  return {
    id: entry.spec.id,
    target: { id: hologram.targetID, type: 'BRICK_TARGET', holograms: [hologram.id] },
    hologram,
    sdks: [true, true, false, true, false, false, false, true, true],
    additionalData: additionalDataOf(collection, entry)
  }
}

function hologramOf(entry: StoredEntry): Record<string, unknown> {
  const hologram: Record<string, unknown> = {
    id: uuidFor(`${entry.spec.id}:hologram`),
    type: 'MODEL_HOLOGRAM',
    targetID: uuidFor(`${entry.spec.id}:target`),
    filename: entry.spec.filename,
    storageID: entry.originalId
  }
  if (entry.materialId) {
    hologram.materialFilename = entry.spec.material
    hologram.materialStorageID = entry.materialId
  }
  if (entry.textureIds.length > 0) {
    hologram.textureFilenames = entry.spec.textures
    hologram.textureStorageIDs = entry.textureIds
  }
  return hologram
}

// Derived formats are flat `<format>HologramStorageID` fields rather than a list, as echo3D sends them.
function additionalDataOf(collection: Collection, entry: StoredEntry): Record<string, string> {
  const additionalData: Record<string, string> = {
    createdAt: '1684174761490',
    lastAccessed: '1684174761490',
    fileSize: String(collection.file(entry.originalId)?.bytes.length ?? 0),
    tags: (entry.spec.tags ?? []).join(',')
  }
  for (const [format, storageId] of entry.derived) {
    additionalData[`${format}HologramStorageID`] = storageId
    additionalData[`${format}HologramStorageFilename`] =
      `${baseName(entry.spec.filename)}.${format}`
  }
  return additionalData
}
