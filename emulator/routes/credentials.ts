// echo3D checks the credentials before it reads anything else of a request, so a refusal is
// recorded without a target. Secure API calls add the secKey, and a refusal of its own (403), to
// the key, email and user key that every request needs (401).
import type { Route } from '../faults.ts'
import type { EmulatorCredentials } from '../server.ts'
import { refuse, type Handler } from './context.ts'

interface Refusal {
  status: number
  text: string
}

/** Wraps a handler so that it only runs for requests with valid credentials. */
export function requireCredentials(route: Route, handler: Handler): Handler {
  return context => {
    const refusal = refusalOf(context.state.emulator.credentials, context.params)
    if (refusal) {
      refuse(context, route, '', refusal.status, refusal.text)
      return
    }
    return handler(context)
  }
}

function refusalOf(credentials: EmulatorCredentials, params: URLSearchParams): Refusal | undefined {
  const valid =
    params.get('key') === credentials.apiKey &&
    params.get('email') === credentials.email &&
    params.get('userKey') === credentials.userKey
  if (!valid) return { status: 401, text: 'Invalid request! Wrong API key, email or user key.' }
  if (credentials.secKey && params.get('secKey') !== credentials.secKey) {
    return {
      status: 403,
      text: 'Invalid request! Secure API calls are enabled: a valid secKey is required.'
    }
  }
  return undefined
}
