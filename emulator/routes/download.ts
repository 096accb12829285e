// `POST /download`: serves an entry's file in the format asked for. A missing format is converted
// when `convertMissing=true`, after `conversionDelayMs`, because echo3D converts slowly and the
// action must wait for it; the conversion is abandoned if the client leaves first.
import { setTimeout as sleep } from 'node:timers/promises'
import { isModelFormat, MODEL_FORMATS, type ModelFormat, type StoredEntry } from '../collection.ts'
import { sendText } from '../replies.ts'
import { redirectToStorage, refuse, serveBytes, type RouteContext } from './context.ts'

export async function handleDownload(context: RouteContext): Promise<void> {
  if (context.request.method !== 'POST') {
    sendText(context.response, 405, 'Use POST')
    return
  }
  const entryId = context.params.get('entryId') ?? ''
  const entry = context.state.collection.entry(entryId)
  if (!entry) {
    refuse(context, 'download', entryId, 404, 'Entry not found')
    return
  }
  const format = (context.params.get('fileFormat') ?? '').toLowerCase()
  const storageId = await storedOrConverted(context, entry, format)
  if (storageId) deliver(context, storageId, `${entryId}:${format}`)
}

// No format means the original upload.
async function storedOrConverted(
  context: RouteContext,
  entry: StoredEntry,
  format: string
): Promise<string | undefined> {
  const { collection } = context.state
  const stored = format
    ? collection.storageIdOf(entry.spec.id, format as ModelFormat)
    : entry.originalId
  if (stored) return stored
  return convert(context, entry, format)
}

async function convert(
  context: RouteContext,
  entry: StoredEntry,
  format: string
): Promise<string | undefined> {
  const entryId = entry.spec.id
  if (context.params.get('convertMissing') !== 'true' || !isModelFormat(format)) {
    refuse(context, 'download', entryId, 404, `Invalid request! No ${format} file for this entry.`)
    return undefined
  }
  if (!(entry.spec.convertible ?? MODEL_FORMATS).includes(format)) {
    const text = `Invalid request! This asset does not support conversion to ${format}.`
    refuse(context, 'download', entryId, 400, text)
    return undefined
  }
  if (atCapacity(context, entryId)) return undefined
  if (!(await waitForConversion(context))) return undefined
  return entry.derived.get(format) ?? context.state.collection.addDerived(entry, format)
}

/** Like echo3D with too much work in hand: one conversion past the capacity gets 429. */
function atCapacity(context: RouteContext, entryId: string): boolean {
  const { conversionCapacity, conversionStats } = context.state.emulator
  if (conversionCapacity === 0 || conversionStats.inFlight < conversionCapacity) return false
  conversionStats.refused++
  refuse(context, 'download', entryId, 429, 'Too Many Requests', { 'retry-after': '1' })
  return true
}

/** False when the client left or the emulator closed before the conversion was done. */
async function waitForConversion(context: RouteContext): Promise<boolean> {
  const { response, state } = context
  const stats = state.emulator.conversionStats
  stats.inFlight++
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
  const clientGone = new AbortController()
  response.on('close', () => clientGone.abort())
  const signal = AbortSignal.any([clientGone.signal, state.closing])
  const waited = await sleep(state.emulator.conversionDelayMs, true, { signal })
    .catch(() => false)
    .finally(() => stats.inFlight--)
  return waited && !response.destroyed
}

// Tests can make echo3D answer with a redirect to the storage host instead of the bytes, to check
// that the action follows it without sending the credentials along.
function deliver(context: RouteContext, storageId: string, target: string): void {
  const { collection, emulator } = context.state
  if (emulator.downloadRedirect) {
    redirectToStorage(context, emulator.downloadRedirect, storageId)
    return
  }
  const file = collection.file(storageId)
  if (file) serveBytes(context, 'download', target, file)
}
