// Performance budgets for models, as web teams keep bundle-size budgets: each selected model is
// held to the limits set for its format, or to the global ones. Pure.

import { CONVERTIBLE_FORMATS } from '../formats.js'
import type { Budget, BudgetBreach, BudgetLimit, FileRecord } from '../model.js'

function isModelFormat(format: string): boolean {
  return (CONVERTIBLE_FORMATS as readonly string[]).includes(format)
}

/** Each limit a model breaks, once per limit, in the order of the files. */
export function findBudgetBreaches(
  files: readonly FileRecord[],
  budgets: readonly Budget[]
): BudgetBreach[] {
  if (budgets.length === 0) return []
  const breaches: BudgetBreach[] = []
  for (const file of files) {
    for (const budget of budgetsFor(file.format, budgets)) {
      const actual = measure(file, budget.limit)
      if (actual !== undefined && actual > budget.max) {
        breaches.push({
          path: file.path,
          format: file.format,
          limit: budget.limit,
          max: budget.max,
          actual
        })
      }
    }
  }
  return breaches
}

/** The format's own limits, and the global ones it does not set itself. */
function budgetsFor(format: string, budgets: readonly Budget[]): Budget[] {
  const own = budgets.filter(budget => budget.format === format)
  const ownLimits = new Set(own.map(budget => budget.limit))
  const global = budgets.filter(
    budget => budget.format === undefined && !ownLimits.has(budget.limit)
  )
  return [...own, ...global]
}

function measure(file: FileRecord, limit: BudgetLimit): number | undefined {
  const model = file.model
  if (limit === 'file-size') return model || isModelFormat(file.format) ? file.bytes : undefined
  if (!model) return undefined
  switch (limit) {
    case 'triangles':
      return model.triangles
    case 'vertices':
      return model.vertices
    case 'textures':
      return model.textures
    case 'texture-size':
      return model.largestTexture ? Math.max(...model.largestTexture) : undefined
    case 'texture-bytes':
      return model.textureBytes
    case 'bounding-box':
      return model.size ? Math.max(...model.size) : undefined
  }
}
