// `echo3d-assets init`: a starter configuration file and a workflow that refreshes the assets every
// night with a pull request, from flags. Nothing is overwritten without --force.

import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { stringify } from 'yaml'
import {
  isBelow,
  isPlainName,
  lookUpUnityProject,
  readWorkspaceText,
  WorkspaceFolders,
  writeWorkspaceText
} from '../../engine/index.js'
import { ConfigurationError, InputError } from '../../errors.js'
import type { RequestedFormat } from '../../formats.js'
import type { EntrySelection } from '../../model.js'
import { parseConfigFile } from '../../settings/config-file.js'
import {
  configValueCheck,
  parseDestination,
  parseEntries,
  parseFormats
} from '../../settings/inputs.js'
import { defaultOf } from '../../settings/spec.js'
import { splitTags } from '../../settings/values.js'
import { DEFAULT_CONFIG_FILE } from '../selection.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import type { Terminal } from '../terminal.js'

export interface InitFlags {
  entries?: string[]
  tags?: string
  formats?: string
  path?: string
  config?: string
  workflow?: string
  schedule?: string
  uses?: string
  force?: boolean
}

/** This action, as the README's examples name it. */
export const ACTION_REFERENCE = 'OWNER/echo3d-assets-action@v1'
export const DEFAULT_WORKFLOW = '.github/workflows/echo3d-assets.yml'
/** Every night at 03:00 UTC. */
export const DEFAULT_SCHEDULE = '0 3 * * *'
const CRON_PATTERN = /^[\d*/,-]+( [\d*/,A-Za-z-]+){4}$/
const USES_PATTERN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$/

interface StarterFile {
  /** As given, relative to the workspace. */
  name: string
  absolute: string
  text: string
}

export async function init(
  flags: InitFlags,
  workspace: string,
  terminal: Terminal
): Promise<ExitCode> {
  const configName = flags.config ?? DEFAULT_CONFIG_FILE
  const destination = flags.path ?? (await defaultDestination(workspace))
  const config = starterConfig(flags)
  const files: StarterFile[] = [
    starterFile(workspace, configName, configText(config, destination, workspace, configName)),
    starterFile(workspace, flags.workflow ?? DEFAULT_WORKFLOW, workflowText(flags, configName))
  ]
  await refuseOverwrite(files, flags.force ?? false)
  // Every target is looked at before any is written: a refusal leaves the repository as it was.
  const folders = new WorkspaceFolders(workspace)
  for (const file of files) await folders.check(path.dirname(file.absolute))
  const gitignore = await readGitignore(workspace)
  for (const file of files) await writeWorkspaceText(workspace, file.absolute, file.text)
  const ignoredNow = await ignoreDotEnv(workspace, gitignore)
  if (await usdzIntoUnity(config, destination, workspace)) terminal.warn(UNITY_USDZ_WARNING)
  if (terminal.options.json) {
    terminal.printJson({ written: files.map(file => file.name), gitignoreUpdated: ignoredNow })
  } else {
    printNextSteps(
      files,
      ignoredNow,
      terminal,
      (flags.uses ?? ACTION_REFERENCE) === ACTION_REFERENCE
    )
  }
  return EXIT.done
}

/** Inside the repository, and in no hidden folder but .github (never in .git). */
function starterFile(workspace: string, name: string, text: string): StarterFile {
  const absolute = path.resolve(workspace, name)
  if (!isBelow(workspace, absolute)) {
    throw new ConfigurationError(
      `${name} is outside the repository (${workspace}). Name a file inside it`
    )
  }
  const segments = path.relative(workspace, absolute).split(path.sep)
  const unplain = segments.find(
    (segment, index) => !isPlainName(segment) && !(index === 0 && segment === '.github')
  )
  if (unplain !== undefined) {
    throw new ConfigurationError(
      `${name} has a name init would not write: '${unplain}'. Use plain names, outside hidden folders other than .github`
    )
  }
  return { name: segments.join('/'), absolute, text }
}

/** A link counts as a file that exists, even one that leads nowhere. */
async function refuseOverwrite(files: readonly StarterFile[], force: boolean): Promise<void> {
  const present = await Promise.all(
    files.map(file =>
      lstat(file.absolute).then(
        () => true,
        () => false
      )
    )
  )
  const existing = files.filter((_file, index) => present[index]).map(file => file.name)
  if (existing.length === 0 || force) return
  throw new ConfigurationError(
    `${existing.join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}; nothing was written. Add --force to replace ${existing.length === 1 ? 'it' : 'them'}`
  )
}

/** In a Unity project, the models go into its Assets folder, where they get their `.meta`. */
const UNITY_DESTINATION = 'Assets/Models/echo3D'

async function defaultDestination(workspace: string): Promise<string> {
  const place = { workspace, destination: path.join(workspace, UNITY_DESTINATION) }
  const unity = await lookUpUnityProject(place)
  return unity.kind === 'found' ? UNITY_DESTINATION : defaultOf('path')
}

/** What the starter configuration file holds, from the flags. */
interface StarterConfig {
  entries: EntrySelection[]
  tags: string[]
  formats: RequestedFormat[]
  /** The action's reference, whose release the file's schema comment names. */
  uses: string
}

function starterConfig(flags: InitFlags): StarterConfig {
  const entries = parseEntries((flags.entries ?? []).join('\n'))
  const tags = splitTags(flags.tags ?? '')
  if (entries.length === 0 && tags.length === 0) {
    throw new InputError(
      'entries',
      'init needs something to select',
      'Give --entries ID (or "ID: glb, usdz") or --tags TAG; `echo3d-assets list` shows the collection'
    )
  }
  const formats = parseFormats('formats', flags.formats ?? defaultOf('formats'))
  return { entries, tags, formats, uses: flags.uses ?? ACTION_REFERENCE }
}

const UNITY_USDZ_WARNING =
  'Unity does not import USDZ files: they serve iOS AR Quick Look. Leave usdz out of --formats and --entries, or give --path outside Assets'

/** Whether USDZ files would land in a Unity project's Assets, which `pull` would warn of each run. */
async function usdzIntoUnity(
  { entries, tags, formats }: StarterConfig,
  destination: string,
  workspace: string
): Promise<boolean> {
  // An entry's own formats replace the file's; the tags' entries take the file's.
  const ownOrFile = entries.flatMap(entry => (entry.formats.length > 0 ? entry.formats : formats))
  const askedFor = [...ownOrFile, ...(tags.length > 0 ? formats : [])]
  if (!askedFor.includes('usdz')) return false
  const place = { workspace, destination: path.resolve(workspace, destination) }
  return (await lookUpUnityProject(place)).kind === 'found'
}

/** The configuration file, checked by the same reader `pull` and the action use. */
function configText(
  { entries, tags, formats, uses }: StarterConfig,
  destination: string,
  workspace: string,
  configName: string
): string {
  parseDestination(destination, workspace)
  const body = stringify({
    ...(entries.length > 0 ? { entries: entries.map(entryValue) } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    formats,
    path: destination
  })
  const text = `${schemaComment(uses)}\n# The echo3D entries this repository uses: read by the echo3D Assets Action (input \`config\`)\n# and by \`echo3d-assets pull\` on your machine.\n${body}`
  parseConfigFile(configName, text, configValueCheck(workspace))
  return text
}

/**
 * Editors with the YAML language server check the file against the action's JSON Schema, at the
 * release the workflow uses.
 */
function schemaComment(uses: string): string {
  const [repository, ref] = uses.split('@')
  const [owner, name] = repository.split('/')
  return `# yaml-language-server: $schema=https://raw.githubusercontent.com/${owner}/${name}/${ref}/echo3d.schema.json`
}

function entryValue(entry: EntrySelection): string | { id: string; formats: string[] } {
  return entry.formats.length > 0 ? { id: entry.id, formats: entry.formats } : entry.id
}

function workflowText(flags: InitFlags, configName: string): string {
  const schedule = flags.schedule ?? DEFAULT_SCHEDULE
  if (!CRON_PATTERN.test(schedule)) {
    throw new InputError(
      'schedule',
      `'${schedule}' is not a cron schedule`,
      "Give five fields, such as '0 3 * * *' (every night at 03:00 UTC)"
    )
  }
  const uses = flags.uses ?? ACTION_REFERENCE
  if (!USES_PATTERN.test(uses)) {
    throw new InputError(
      'uses',
      `'${uses}' is not an action reference`,
      'Give owner/repository@ref'
    )
  }
  return `# Refreshes the echo3D assets every night and opens a pull request when they changed.
# Written by \`echo3d-assets init\`; the selection is in ${configName}.
name: echo3D assets

on:
  schedule:
    - cron: ${JSON.stringify(schedule)}
  workflow_dispatch:

permissions:
  contents: write
  pull-requests: write

jobs:
  refresh:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
      - uses: ${uses}
        with:
          api-key: \${{ secrets.ECHO3D_API_KEY }}
          email: \${{ secrets.ECHO3D_EMAIL }}
          user-key: \${{ secrets.ECHO3D_USER_KEY }}
          secret-key: \${{ secrets.ECHO3D_SECRET_KEY }}
          config: ${JSON.stringify(configName)}
          commit: pull-request
          previews: true
`
}

interface Gitignore {
  absolute: string
  text: string
}

async function readGitignore(workspace: string): Promise<Gitignore> {
  const absolute = path.join(workspace, '.gitignore')
  const text = await readWorkspaceText(workspace, absolute, MAX_GITIGNORE_BYTES, () => {
    return new ConfigurationError(`${absolute} is larger than 1 MiB; add .env to it by hand`)
  })
  return { absolute, text: text ?? '' }
}

/** The credentials' .env file must never be committed. Returns whether .gitignore was changed. */
async function ignoreDotEnv(workspace: string, { absolute, text }: Gitignore): Promise<boolean> {
  const lines = text.split(/\r?\n/).map(line => line.trim())
  if (lines.includes('.env') || lines.includes('/.env')) return false
  const separator = text && !text.endsWith('\n') ? '\n' : ''
  await writeWorkspaceText(workspace, absolute, `${text}${separator}.env\n`)
  return true
}

const MAX_GITIGNORE_BYTES = 1024 * 1024

function printNextSteps(
  files: readonly StarterFile[],
  ignoredNow: boolean,
  terminal: Terminal,
  placeholderAction: boolean
): void {
  for (const file of files) terminal.print(`Wrote ${file.name}`, terminal.colors.green)
  if (ignoredNow) terminal.print('Added .env to .gitignore', terminal.colors.green)
  terminal.printLines(`
Next:
  1. Put the credentials in .env (ECHO3D_API_KEY=…, ECHO3D_EMAIL=…, ECHO3D_USER_KEY=…), unless
     the shell exports them already, then run
     echo3d-assets pull
  2. Store the same values as repository secrets of the same names, for example
     gh secret set ECHO3D_API_KEY
  3. Commit ${files.map(file => file.name).join(', ')}, the assets and their lockfile`)
  if (placeholderAction) {
    terminal.printLines(`  4. The workflow uses ${ACTION_REFERENCE}: replace OWNER with the action's owner, or run
     init again with --uses owner/repository@ref --force`)
  }
}
