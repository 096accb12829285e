// Reads the file that the `config` input names, from the workspace, before any input is used.

import path from 'node:path'
import { isInside, readWorkspaceText } from '../engine/index.js'
import { InputError } from '../errors.js'
import { formatBytes } from '../quantities.js'
import { MAX_CONFIG_BYTES, parseConfigFile } from './config-file.js'
import type { ConfigValues } from './config-values.js'
import { configValueCheck } from './inputs.js'

/** The file's values; undefined when `config` is blank. */
export async function loadConfigFile(
  workspace: string,
  raw: string
): Promise<ConfigValues | undefined> {
  const relative = raw.trim()
  if (!relative) return undefined
  const absolute = path.resolve(workspace, relative)
  if (!isInside(workspace, absolute)) {
    throw new InputError(
      'config',
      `'${relative}' is outside the workspace`,
      'Name a file in the repository, such as echo3d.yml'
    )
  }
  const text = await readWorkspaceText(workspace, absolute, MAX_CONFIG_BYTES, () => {
    const limit = formatBytes(MAX_CONFIG_BYTES)
    return new InputError('config', `'${relative}' is larger than ${limit}`, 'Name the right file')
  })
  if (text === undefined) {
    throw new InputError(
      'config',
      `'${relative}' does not exist in the workspace`,
      'Check out the repository first (actions/checkout), and check the path'
    )
  }
  return parseConfigFile(relative, text, configValueCheck(workspace))
}
