// `echo3d-assets preview FILES…`: a picture of each GLB or glTF file, drawn by the machine's own
// Chrome or Chromium as the action draws them for a pull request, written into a folder of the
// repository for a look before pushing.

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { isInside, sameFileKey, writeWorkspaceText } from '../../engine/index.js'
import { ConfigurationError, errorMessage, PreviewError } from '../../errors.js'
import { findBrowser } from '../../previews/browser.js'
import type { PreviewRenderer } from '../../previews/renderer.js'
import { parseDuration } from '../../settings/values.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { Terminal } from '../terminal.js'

export interface PreviewFlags {
  out: string
  timeout: string
}

export const DEFAULT_PREVIEW_FOLDER = 'previews'
export const DEFAULT_PREVIEW_TIMEOUT = '30s'
/** The browser's start, page and shaders included, on a slow machine. */
const START_TIMEOUT_MS = 60_000

interface PreviewResult {
  file: string
  picture?: string
  error?: string
}

export async function preview(
  files: readonly string[],
  flags: PreviewFlags,
  workspace: string,
  terminal: Terminal
): Promise<ExitCode> {
  const { models, outFolder, modelTimeoutMs } = checkedRequest(files, flags, workspace)
  const executablePath = findBrowser({ env: process.env, platform: process.platform })
  if (!executablePath) {
    throw new ConfigurationError(
      'no Chrome or Chromium was found. Install one, or set CHROME_PATH to its executable'
    )
  }
  // Loaded here, so that the other verbs do not parse the browser's driver.
  const { startRenderer } = await import('../../previews/renderer.js')
  const renderer = await startRenderer({
    executablePath,
    modelTimeoutMs,
    startTimeoutMs: START_TIMEOUT_MS,
    temporaryRoot: os.tmpdir()
  })
  const results: PreviewResult[] = []
  const names = pictureNames(models, workspace)
  try {
    for (const [index, model] of models.entries()) {
      const picture = path.join(outFolder, names[index])
      results.push(await drawOne(renderer, model, picture, workspace))
    }
  } finally {
    await renderer.close()
  }
  report(results, workspace, terminal)
  return results.some(result => result.error) ? EXIT.failed : EXIT.done
}

function checkedRequest(
  files: readonly string[],
  flags: PreviewFlags,
  workspace: string
): { models: string[]; outFolder: string; modelTimeoutMs: number } {
  if (files.length === 0) {
    throw new ConfigurationError('name the GLB or glTF files to draw, such as assets/echo3d/*.glb')
  }
  // Relative to the current folder, as the shell expands `*.glb`.
  const models = files.map(file => path.resolve(file))
  const other = models.find(file => !/\.(glb|gltf)$/i.test(file))
  if (other) {
    throw new ConfigurationError(`'${path.relative(workspace, other)}' is not a GLB or glTF file`)
  }
  const missing = files.find((_, index) => !existsSync(models[index]))
  if (missing !== undefined) {
    throw new ConfigurationError(
      `'${missing}' does not exist in ${process.cwd()}. Files are found from the current folder`
    )
  }
  const outFolder = path.resolve(workspace, flags.out)
  if (!isInside(workspace, outFolder)) {
    throw new ConfigurationError(
      `--out '${flags.out}' is outside the repository. Name a folder in it`
    )
  }
  return { models, outFolder, modelTimeoutMs: parseDuration('--timeout', flags.timeout) }
}

/**
 * Each picture's name: the model's path in the repository, its folders joined by dashes, and a
 * number where two would meet (`a/b-c.glb` and `a-b/c.glb`; case does not tell files apart on
 * macOS and Windows).
 */
function pictureNames(models: readonly string[], workspace: string): string[] {
  const taken = new Set<string>()
  return models.map(model => {
    const relative = isInside(workspace, model)
      ? path.relative(workspace, model)
      : path.basename(model)
    const stem = relative.split(path.sep).join('-')
    let name = `${stem}.png`
    for (let number = 2; taken.has(sameFileKey(name)); number++) name = `${stem}-${number}.png`
    taken.add(sameFileKey(name))
    return name
  })
}

async function drawOne(
  renderer: PreviewRenderer,
  model: string,
  picture: string,
  workspace: string
): Promise<PreviewResult> {
  try {
    const { png } = await renderer.render(await readFile(model))
    await writeWorkspaceText(workspace, picture, png)
    return { file: model, picture }
  } catch (error) {
    if (!(error instanceof PreviewError) && !isFileError(error)) throw error
    return { file: model, error: errorMessage(error) }
  }
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
}

function report(results: readonly PreviewResult[], workspace: string, terminal: Terminal): void {
  const shown = (file: string) => path.relative(workspace, file)
  if (terminal.options.json) {
    terminal.printJson(
      results.map(({ file, picture, error }) => ({
        file: shown(file),
        ...(picture ? { picture: shown(picture) } : {}),
        ...(error ? { error } : {})
      }))
    )
    return
  }
  for (const { file, picture, error } of results) {
    if (picture) terminal.print(`${shown(file)} → ${shown(picture)}`)
    else terminal.error(`${shown(file)}: no picture: ${error ?? ''}`)
  }
}
