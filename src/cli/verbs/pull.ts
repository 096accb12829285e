// `echo3d-assets pull`: the action's pull, into the same folder, with the same lockfile.

import { NO_CACHE, pullAssets } from '../../engine/index.js'
import { AssetFailures } from '../../errors.js'
import { formatBytes, formatDuration, plural } from '../../quantities.js'
import type { PulledFile, PullReport } from '../../model.js'
import { reportBudgets } from '../budgets.js'
import { withDisplay } from '../display.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { removePartialsOnInterrupt, requestPorts, type VerbContext } from '../run-context.js'
import { selectionOptions, type SelectionFlags } from '../selection.js'
import { renderTable } from '../table.js'
import type { Terminal } from '../terminal.js'

/** Rows of the final table; past them, --json has every file. */
const MAX_TABLE_ROWS = 200

export async function pull(flags: SelectionFlags, context: VerbContext): Promise<ExitCode> {
  const options = await selectionOptions(flags, 'pull', context.place)
  const { terminal } = context
  const report = await withDisplay(terminal, async display => {
    const stopListening = removePartialsOnInterrupt(display, terminal)
    try {
      return await pullAssets(options, {
        ...requestPorts(context, display),
        cache: NO_CACHE,
        onBytes: display.onBytes
      })
    } finally {
      stopListening()
    }
  })
  reportPull(report, terminal)
  const budgetsFail = reportBudgets(report.overBudget, options.budgetMode, terminal)
  return report.failures.length > 0 || budgetsFail ? EXIT.failed : EXIT.done
}

function reportPull(report: PullReport, terminal: Terminal): void {
  if (terminal.options.json) {
    terminal.printJson(report)
    return
  }
  if (terminal.live) printChangedFiles(report.files, terminal)
  if (!terminal.options.quiet) terminal.print(totals(report), terminal.colors.bold)
  if (report.failures.length > 0) terminal.error(new AssetFailures(report.failures).message)
}

function printChangedFiles(files: readonly PulledFile[], terminal: Terminal): void {
  const changed = files.filter(file => file.source !== 'unchanged')
  if (changed.length === 0) return
  const rows = changed
    .slice(0, MAX_TABLE_ROWS)
    .map(file => [
      file.path,
      file.format,
      formatBytes(file.bytes),
      file.source,
      formatDuration(file.durationMs)
    ])
  terminal.printSafe('')
  for (const line of renderTable(['FILE', 'FORMAT', 'SIZE', 'FROM', 'TIME'], rows, terminal)) {
    terminal.printSafe(line)
  }
  if (changed.length > MAX_TABLE_ROWS) {
    terminal.print(`…and ${changed.length - MAX_TABLE_ROWS} more (--json lists every file)`)
  }
}

function totals(report: PullReport): string {
  const count = (source: PulledFile['source']): number =>
    report.files.filter(file => file.source === source).length
  const parts = [
    `${count('download')} downloaded`,
    `${count('conversion')} converted`,
    `${count('unchanged')} unchanged`
  ]
  if (report.pruned.length > 0) parts.push(`${report.pruned.length} pruned`)
  if (report.failures.length > 0) parts.push(`${report.failures.length} failed`)
  return `${plural(report.files.length, 'file')} in place: ${parts.join(', ')}`
}
