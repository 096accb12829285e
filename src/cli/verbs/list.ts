// `echo3d-assets list`: the collection's entries, to find what to select.

import { listCatalog } from '../../engine/index.js'
import { formatBytes } from '../../quantities.js'
import type { CatalogEntry } from '../../model.js'
import { MAX_RETRIES, parseApiUrl } from '../../settings/inputs.js'
import { defaultOf } from '../../settings/spec.js'
import { InputCheck, parseDuration, parseInteger, splitTags } from '../../settings/values.js'
import { withDisplay } from '../display.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { requestPorts, type VerbContext } from '../run-context.js'
import { renderTable } from '../table.js'

export interface ListFlags {
  tags?: string
  apiUrl?: string
  timeout?: string
  retries?: string
}

export async function list(flags: ListFlags, context: VerbContext): Promise<ExitCode> {
  const { terminal, place } = context
  const check = new InputCheck()
  const options = {
    apiUrl: check.attempt(
      () => parseApiUrl(flags.apiUrl ?? place.apiUrl ?? defaultOf('api-url')),
      new URL('https://invalid')
    ),
    timeoutMs: check.attempt(
      () => parseDuration('timeout', flags.timeout ?? defaultOf('timeout')),
      0
    ),
    retries: check.attempt(
      () => parseInteger('retries', flags.retries ?? defaultOf('retries'), 0, MAX_RETRIES),
      0
    ),
    credentials: place.credentials,
    proxy: place.proxy,
    concurrency: 1,
    conversionConcurrency: 1
  }
  check.throwIfAny()
  const tags = splitTags(flags.tags ?? '')
  const entries = await withDisplay(terminal, display =>
    listCatalog(options, tags, requestPorts(context, display))
  )
  if (terminal.options.json) terminal.printJson(entries)
  else printEntries(entries, tags, context)
  return EXIT.done
}

function printEntries(
  entries: readonly CatalogEntry[],
  tags: readonly string[],
  { terminal }: VerbContext
): void {
  if (entries.length === 0) {
    const tagged = tags.length > 0 ? ` tagged ${tags.join(' or ')}` : ''
    const hint = tags.length > 0 ? ': `echo3d-assets list` shows every entry, with its tags' : ''
    terminal.print(`No entries found${tagged}${hint}`)
    return
  }
  const rows = entries.map(entry => [
    entry.id,
    entry.name,
    entry.tags.join(', '),
    entry.formats.join(', '),
    entry.uploadBytes === undefined ? '' : formatBytes(entry.uploadBytes)
  ])
  for (const line of renderTable(['ID', 'NAME', 'TAGS', 'FORMATS', 'UPLOAD SIZE'], rows, terminal))
    terminal.printSafe(line)
  if (!terminal.options.quiet) {
    terminal.print(
      `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}. Select them by ID or tag in echo3d.yml, or with --entries and --tags`,
      terminal.colors.dim
    )
  }
}
