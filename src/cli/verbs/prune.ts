// `echo3d-assets prune`: the action's prune on its own, with --dry-run to see what would go.

import { pruneAssets } from '../../engine/index.js'
import { AssetFailures } from '../../errors.js'
import { formatBytes, plural } from '../../quantities.js'
import type { PruneReport } from '../../model.js'
import { withDisplay } from '../display.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { requestPorts, type VerbContext } from '../run-context.js'
import { selectionOptions, type SelectionFlags } from '../selection.js'
import type { Terminal } from '../terminal.js'

export interface PruneFlags extends SelectionFlags {
  dryRun?: boolean
}

export async function prune(flags: PruneFlags, context: VerbContext): Promise<ExitCode> {
  const dryRun = flags.dryRun ?? false
  // `prune` asks for the lockfile, as the action's input does.
  const options = await selectionOptions({ ...flags, prune: true }, 'pull', context.place)
  const { terminal } = context
  const report = await withDisplay(terminal, display =>
    pruneAssets(options, requestPorts(context, display), dryRun)
  )
  if (terminal.options.json) terminal.printJson({ dryRun, ...report })
  else reportPrune(report, dryRun, terminal)
  return report.failures.length > 0 || report.unmatchedTags ? EXIT.failed : EXIT.done
}

function reportPrune(report: PruneReport, dryRun: boolean, terminal: Terminal): void {
  if (report.failures.length > 0) {
    terminal.error(
      `${new AssetFailures(report.failures).message}\nNothing was pruned: the selection is not known for sure`
    )
    return
  }
  if (report.unmatchedTags) {
    // The display has said which tags, and what to do.
    terminal.error('Nothing was pruned: the selection is not known for sure')
    return
  }
  if (report.candidates.length === 0) {
    terminal.print('Nothing to prune: every file the lockfile records is still selected')
    return
  }
  if (dryRun) {
    reportDryRun(report, terminal)
    return
  }
  const parts = [`Removed ${plural(report.pruned.length, 'file')}`]
  if (report.alreadyGone.length > 0) {
    parts.push(`forgot ${plural(report.alreadyGone.length, 'file')} already gone`)
  }
  if (report.kept.length > 0) parts.push(`kept ${report.kept.length}, for the reasons above`)
  terminal.print(parts.join('; '), terminal.colors.bold)
}

/** What prune would do, judged by prune's own rule: what it would remove, and what keep and why. */
function reportDryRun(report: PruneReport, terminal: Terminal): void {
  const kept = new Map(report.kept.map(file => [file.path, file.reason]))
  const gone = new Set(report.alreadyGone)
  const going = report.candidates.filter(file => !kept.has(file.path) && !gone.has(file.path))
  if (going.length > 0) {
    terminal.print(`Would remove ${plural(going.length, 'file')}:`)
    const metas = new Set(report.candidateMetas)
    for (const file of going) {
      const meta = metas.has(`${file.path}.meta`) ? ', and its .meta' : ''
      terminal.print(`  ${file.path} (${formatBytes(file.bytes)})${meta}`)
    }
    if (report.candidateMetas) {
      terminal.print('Folders they leave empty go too, with the .meta the action gave them')
    }
  }
  if (gone.size > 0) {
    terminal.print(`Would forget ${plural(gone.size, 'file')} already gone from the disk:`)
    for (const filePath of gone) terminal.print(`  ${filePath}`)
  }
  if (kept.size > 0) {
    terminal.print(`Would keep ${plural(kept.size, 'file')} the selection no longer has:`)
    for (const [filePath, reason] of kept) terminal.print(`  ${filePath}: ${reason}`)
  }
  if (going.length > 0) terminal.print('Run without --dry-run to remove them', terminal.colors.dim)
}
