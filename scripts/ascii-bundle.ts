// Node keeps a module's source in memory for as long as the process runs, and a source with a
// single character outside ASCII is kept as UTF-16: twice the bytes. The action's bundle is about
// 2.2 MB, with some 1,000 such characters (typographic quotes and arrows, in messages and in
// comments). Written as `\uXXXX` escapes, which mean the same character in strings, templates,
// regular expressions, identifiers and comments, the bundle stays one byte per character. Between
// tokens such a character can only be white space (a no-break space, once, in a dependency), where
// an escape is not allowed: it becomes a plain space. Design record 0011 has the measurement.

import { parse } from 'acorn'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

interface Span {
  start: number
  end: number
}

/** Where the tokens and comments of a module are, in order. */
function tokenSpans(code: string): Span[] {
  const spans: Span[] = []
  const keep = (start: number, end: number) => spans.push({ start, end })
  parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    allowHashBang: true,
    onToken: token => keep(token.start, token.end),
    onComment: (_block, _text, start, end) => keep(start, end)
  })
  return spans.sort((a, b) => a.start - b.start)
}

function escapeUnit(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`
}

/** The module's code with every character outside ASCII escaped, or a space where it was one. */
export function escapeNonAscii(code: string): string {
  const spans = tokenSpans(code)
  let spanIndex = 0
  let escaped = ''
  for (let index = 0; index < code.length; index++) {
    const unit = code.charCodeAt(index)
    if (unit < 0x80) {
      escaped += code[index]
      continue
    }
    while (spanIndex < spans.length && spans[spanIndex].end <= index) spanIndex++
    const inToken = spanIndex < spans.length && spans[spanIndex].start <= index
    escaped += inToken ? escapeUnit(unit) : ' '
  }
  return escaped
}

/**
 * Rewrites the JavaScript files of a folder, and of the folders in it, in ASCII. A backslash right
 * before such a character would turn the escape into text, so the build stops there instead.
 */
export function makeBundleAscii(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue
    const file = path.join(entry.parentPath, entry.name)
    const code = readFileSync(file, 'utf8')
    if (!/[\u0080-\uffff]/.test(code)) continue
    if (/\\[\u0080-\uffff]/.test(code)) {
      throw new Error(`${file}: a backslash comes before a character outside ASCII`)
    }
    writeFileSync(file, escapeNonAscii(code))
  }
}
