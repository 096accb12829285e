// The `budgets` input: one limit per line, `limit: value` for every model or `format.limit: value`
// for one format's, such as `triangles: 100000` or `usdz.file-size: 25MB`. Pure.

import { InputError } from '../errors.js'
import { CONVERTIBLE_FORMATS } from '../formats.js'
import { BUDGET_LIMITS, type Budget, type BudgetLimit } from '../model.js'
import { parseInteger, parseSize } from './values.js'

const LINE = /^(?:([a-z0-9]+)\.)?([a-z-]+)\s*:\s*(\S.*)$/
const LARGEST_COUNT = 2 ** 32

const BUDGET_FIX = `Write one limit per line, such as \`triangles: 100000\` or \`glb.file-size: 20MB\`; limits: ${BUDGET_LIMITS.join(', ')}; formats: ${CONVERTIBLE_FORMATS.join(', ')}`

export function parseBudgets(raw: string): Budget[] {
  const budgets: Budget[] = []
  raw.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*$/, '').trim()
    if (!line) return
    const budget = parseBudgetLine(line, index + 1)
    const twice = budgets.find(
      other => other.limit === budget.limit && other.format === budget.format
    )
    if (twice) {
      throw new InputError(
        'budgets',
        `line ${index + 1}: '${line}' sets a limit already set`,
        BUDGET_FIX
      )
    }
    budgets.push(budget)
  })
  return budgets
}

function parseBudgetLine(line: string, lineNumber: number): Budget {
  const match = LINE.exec(line)
  const [format, limit, value] = match ? [match[1], match[2], match[3].trim()] : []
  if (!match || !(BUDGET_LIMITS as readonly string[]).includes(limit ?? '')) {
    throw new InputError(
      'budgets',
      `line ${lineNumber}: '${line}' is not a known limit`,
      BUDGET_FIX
    )
  }
  if (format !== undefined && !(CONVERTIBLE_FORMATS as readonly string[]).includes(format)) {
    throw new InputError(
      'budgets',
      `line ${lineNumber}: '${format}' is not a model format`,
      BUDGET_FIX
    )
  }
  const max = parseLimitValue(limit as BudgetLimit, value ?? '', lineNumber)
  return { limit: limit as BudgetLimit, max, ...(format ? { format } : {}) }
}

function parseLimitValue(limit: BudgetLimit, value: string, lineNumber: number): number {
  const input = `budgets (line ${lineNumber}, ${limit})`
  if (limit === 'file-size' || limit === 'texture-bytes') return parseSize(input, value)
  if (limit !== 'bounding-box') return parseInteger(input, value, 0, LARGEST_COUNT)
  const metres = /^(\d+(?:\.\d+)?)\s*m?$/.exec(value)
  if (!metres || !(Number(metres[1]) > 0)) {
    throw new InputError(input, `'${value}' is not a length in metres`, 'Write it as 2.5 or 2.5m')
  }
  return Number(metres[1])
}
