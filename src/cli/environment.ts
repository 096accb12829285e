// Where the program finds the repository it works in, and the echo3D credentials: from the
// environment or a .env file, never from a flag (a flag lands in the shell's history and in `ps`).

import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { readWorkspaceText } from '../engine/index.js'
import { ConfigurationError } from '../errors.js'
import type { Credentials } from '../model.js'

const CREDENTIAL_VARIABLES: Record<keyof Credentials, string> = {
  apiKey: 'ECHO3D_API_KEY',
  email: 'ECHO3D_EMAIL',
  userKey: 'ECHO3D_USER_KEY',
  secretKey: 'ECHO3D_SECRET_KEY'
}

export const API_URL_VARIABLE = 'ECHO3D_API_URL'

/** A .env file holds a few lines; a larger one is not the file meant. */
const MAX_DOT_ENV_BYTES = 64 * 1024

/** The variables the program reads: the environment's, then the .env file's for those unset. */
export type Variables = (name: string) => string

export interface Environment {
  variables: Variables
  /** Names the .env file sets that the program takes from the environment only. */
  ignoredInDotEnv: string[]
}

/**
 * The root of the git repository that holds `start`, where the workflow's checkout would be, so
 * that paths mean the same locally and in CI; `start` itself outside a repository.
 */
export function findWorkspace(start: string): string {
  let folder = path.resolve(start)
  for (;;) {
    if (existsSync(path.join(folder, '.git'))) return folder
    const parent = path.dirname(folder)
    if (parent === folder) return path.resolve(start)
    folder = parent
  }
}

/**
 * Only the credentials come from .env. A repository's .env could otherwise name its own server as
 * ECHO3D_API_URL and receive the credentials of whoever runs the program in it.
 */
export async function readVariables(
  workspace: string,
  env: NodeJS.ProcessEnv
): Promise<Environment> {
  const dotEnv = await readDotEnv(workspace)
  const fromDotEnv = new Set(Object.values(CREDENTIAL_VARIABLES))
  return {
    variables: name => (env[name] || (fromDotEnv.has(name) ? dotEnv[name] : '') || '').trim(),
    ignoredInDotEnv: API_URL_VARIABLE in dotEnv ? [API_URL_VARIABLE] : []
  }
}

/** Why a variable in .env was passed over, and where to set it instead. */
export function ignoredInDotEnvWarning(name: string): string {
  return `${name} in .env is ignored: only the credentials are read from .env, so that a repository's .env cannot send them to a server of its choosing. Set ${name} in your shell (export ${name}=…) or pass --api-url`
}

async function readDotEnv(workspace: string): Promise<Record<string, string>> {
  const file = path.join(workspace, '.env')
  const text = await readWorkspaceText(workspace, file, MAX_DOT_ENV_BYTES, () => {
    return new ConfigurationError(
      `${file} is larger than 64 KiB, which no .env file of credentials needs. Check that it is the right file`
    )
  })
  if (text === undefined) return {}
  return parseEnv(text) as Record<string, string>
}

/** The credentials, or an error that names every one missing and where to set it. */
export function credentialsFrom(variables: Variables, workspace: string): Credentials {
  const missing = (['apiKey', 'email', 'userKey'] as const)
    .map(key => CREDENTIAL_VARIABLES[key])
    .filter(name => !variables(name))
  if (missing.length > 0) {
    throw new ConfigurationError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
        `Set ${missing.length === 1 ? 'it' : 'them'} in the environment (export ${missing[0]}=…) ` +
        `or in ${path.join(workspace, '.env')} (one NAME=value per line; keep .env in .gitignore). ` +
        'The echo3D console shows them: the API key on the collection, the user key under your account, the secret key on the Security page'
    )
  }
  return {
    apiKey: variables(CREDENTIAL_VARIABLES.apiKey),
    email: variables(CREDENTIAL_VARIABLES.email),
    userKey: variables(CREDENTIAL_VARIABLES.userKey),
    secretKey: variables(CREDENTIAL_VARIABLES.secretKey)
  }
}
