import { ExplainedError, HttpStatusError, errorMessage } from '../../errors.js'
import { errorCode } from '../transfer/retry.js'

/** Network faults that say the API's address was never reached. */
const UNREACHED_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT'
])

/** What a failed request means for the user, and what to change. */
export function explainFailure(
  error: unknown,
  request: { kind: 'query' | 'storage' | 'convert'; format?: string }
): string {
  if (!(error instanceof HttpStatusError)) return explainNetworkFault(error, request.kind)
  const status = `HTTP ${error.status}${error.bodyExcerpt ? ` '${error.bodyExcerpt}'` : ''}`
  switch (error.status) {
    case 401:
      return `echo3D refused the credentials (${status}). Check the secrets passed as \`api-key\`, \`email\` and \`user-key\` (ECHO3D_API_KEY, ECHO3D_EMAIL and ECHO3D_USER_KEY for the command-line program): the key of the collection, the account's email and its authentication key`
    case 403:
      return `echo3D refused access (${status}). The collection has secured API calls turned on: pass its secret key as \`secret-key\` (ECHO3D_SECRET_KEY for the command-line program; echo3D console, Security page), and check that the secret is current`
    case 404:
      return request.kind === 'storage'
        ? `echo3D has no file under this storage ID (${status}). Check a storage ID given in \`files\` (--files); for an entry's file, the entry may have been re-uploaded or deleted: re-run to pick up its current files`
        : `echo3D found no such entry (${status}). Check the ID, and that \`api-key\` is the key of the collection that holds it`
    case 400:
    case 422:
      return request.kind === 'convert'
        ? `echo3D rejected the conversion to ${request.format} (${status}). This upload cannot be converted to that format: ask for another format, or upload it in the format you need`
        : `echo3D rejected the request (${status})`
    default:
      return `echo3D kept failing (${status}) after every retry. Raise \`retries\` (--retries), or re-run later`
  }
}

function explainNetworkFault(error: unknown, kind: 'query' | 'storage' | 'convert'): string {
  const text = errorMessage(error)
  if (kind !== 'query' || errorCode(error, UNREACHED_CODES) === '') return text
  return `${text}: echo3D's API could not be reached. Check the network and any proxy (HTTPS_PROXY), and \`api-url\` (ECHO3D_API_URL for the command-line program) where it is set`
}

/** A metadata query that failed after its retries, as the run reports it. */
export function metadataQueryFailed(error: unknown): ExplainedError {
  return new ExplainedError(
    `The metadata query failed: ${explainFailure(error, { kind: 'query' })}`
  )
}
