// `echo3d-assets check`: the action's check mode. Exit code 3 when anything is missing or stale.

import { checkAssets } from '../../engine/index.js'
import { AssetFailures, StaleAssets } from '../../errors.js'
import { plural } from '../../quantities.js'
import type { CheckReport } from '../../model.js'
import { reportBudgets } from '../budgets.js'
import { withDisplay } from '../display.js'
import { EXIT, type ExitCode } from '../exit-codes.js'
import { requestPorts, type VerbContext } from '../run-context.js'
import { selectionOptions, type SelectionFlags } from '../selection.js'

const REMEDY = 'Run `echo3d-assets pull` to update them'

export async function check(flags: SelectionFlags, context: VerbContext): Promise<ExitCode> {
  const options = await selectionOptions(flags, 'check', context.place)
  const { terminal } = context
  const report = await withDisplay(terminal, display =>
    checkAssets(options, requestPorts(context, display))
  )
  if (terminal.options.json) terminal.printJson(report)
  else reportCheck(report, context)
  const budgetsFail = reportBudgets(report.overBudget, options.budgetMode, terminal)
  if (report.failures.length > 0) return EXIT.failed
  if (report.stale.length > 0) return EXIT.stale
  return budgetsFail ? EXIT.failed : EXIT.done
}

function reportCheck(report: CheckReport, { terminal }: VerbContext): void {
  if (report.failures.length > 0) terminal.error(new AssetFailures(report.failures).message)
  if (report.stale.length === 0) return
  // The events listed each file already, unless --quiet kept them off the screen.
  if (terminal.options.quiet) terminal.error(new StaleAssets(report.stale, REMEDY).message)
  else terminal.error(`${plural(report.stale.length, 'file')} missing or stale. ${REMEDY}`)
}
