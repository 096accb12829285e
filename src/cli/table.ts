// A plain table for the terminal, columns padded to their widest cell.

import { clipped } from '../escape.js'
import type { Terminal } from './terminal.js'

/** The header and rows as lines, every cell made safe; the header is bold where colours are on. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  terminal: Terminal
): string[] {
  const safeRows = rows.map(row =>
    row.map(cell => terminal.safe(clipped(cell, MAX_CELL_CHARACTERS)))
  )
  const widths = header.map((title, column) =>
    Math.max(title.length, ...safeRows.map(row => width(row[column] ?? '')))
  )
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell + ' '.repeat(widths[column] - width(cell)))
      .join('  ')
      .trimEnd()
  return [terminal.colors.bold(line(header)), ...safeRows.map(line)]
}

/** A cell's text cut to a width a terminal can show, so one long name cannot widen every row. */
const MAX_CELL_CHARACTERS = 80

/** Characters as a terminal counts them, near enough for names and numbers. */
function width(text: string): number {
  return [...text].length
}
