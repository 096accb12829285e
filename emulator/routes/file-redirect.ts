// `/query?file=<storage ID>`: echo3D does not serve files from its API origin but redirects to its
// storage host, so the action must follow a redirect to another origin without the credentials.
import { refuse, redirectToStorage, type RouteContext } from './context.ts'

export function handleFileRedirect(context: RouteContext): void {
  const storageId = context.params.get('file') ?? ''
  if (!context.state.collection.file(storageId)) {
    refuse(context, 'redirect', storageId, 404, 'File not found')
    return
  }
  const fault = context.state.faults.take('redirect', storageId)
  if (fault) {
    refuse(context, 'redirect', storageId, fault.status ?? 503, 'Service Unavailable')
    return
  }
  redirectToStorage(context, 302, storageId)
}
