// Broken budgets as the terminal shows them, for pull and check.

import { ModelsOverBudget } from '../errors.js'
import type { BudgetBreach } from '../model.js'
import { breachText } from '../report/model-review.js'
import type { BudgetMode } from '../settings/inputs.js'
import type { Terminal } from './terminal.js'

/**
 * Broken budgets: an error, or with `budget-mode: warn` a warning each (--json has them in its
 * document instead). Returns whether they fail the run.
 */
export function reportBudgets(
  breaches: readonly BudgetBreach[],
  mode: BudgetMode,
  terminal: Terminal
): boolean {
  if (breaches.length === 0) return false
  if (!terminal.options.json) printBreaches(breaches, mode, terminal)
  return mode === 'fail'
}

function printBreaches(breaches: readonly BudgetBreach[], mode: BudgetMode, terminal: Terminal) {
  if (mode === 'warn') {
    for (const breach of breaches) terminal.warn(`over budget: ${breachText(breach)}`)
    return
  }
  const remedy = 'Raise the budgets, or pass --budget-mode warn to report them without failing'
  terminal.error(new ModelsOverBudget(breaches.map(breachText), remedy).message)
}
