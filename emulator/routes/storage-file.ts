// The storage host's one route, `/files/<storage ID>?token=…`, where echo3D's redirects lead. It
// waits `storageLatencyMs` before answering and counts the downloads in flight, so that tests can
// see whether the action really transfers files side by side.
import type http from 'node:http'
import type { StorageStats } from '../server.ts'
import { refuse, serveBytes, type RouteContext } from './context.ts'

export function handleStorageFile(context: RouteContext): void {
  const { collection, emulator, storageToken } = context.state
  countInFlight(emulator.storageStats, context.response)
  const storageId = decodeURIComponent(context.url.pathname.replace(/^\/files\//, ''))
  const file = collection.file(storageId)
  if (!file) {
    refuse(context, 'file', storageId, 404, 'Not found')
    return
  }
  if (context.params.get('token') !== storageToken) {
    refuse(context, 'file', storageId, 403, 'Forbidden')
    return
  }
  setTimeout(() => serveBytes(context, 'file', storageId, file), emulator.storageLatencyMs)
}

function countInFlight(stats: StorageStats, response: http.ServerResponse): void {
  stats.inFlight++
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
  response.on('close', () => stats.inFlight--)
}
