// Node keeps a module's source in memory for as long as the process runs, and a source with a
// single character outside ASCII is kept as UTF-16: twice the bytes. The action's bundle is about
// 2.2 MB, with some 1,000 such characters (typographic quotes and arrows, in messages and in
// comments). Written as `\uXXXX` escapes, which mean the same character in strings, templates,
// regular expressions, identifiers and comments, the bundle stays one byte per character. Between
// tokens such a character can only be white space (a no-break space, once, in a dependency), where
// an escape is not allowed: it becomes a plain space. Where an escape would change the meaning, the
// build stops. Design record 0011 has the measurement.

import { parse, type Node } from 'acorn'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

interface Span {
  start: number
  end: number
}

interface Layout {
  /** The module's tokens and comments, in order. */
  tokens: Span[]
  /** Tagged templates: a tag such as `String.raw` sees the text as written, escapes included. */
  taggedTemplates: Span[]
}

function layoutOf(code: string): Layout {
  const tokens: Span[] = []
  const keep = (start: number, end: number) => tokens.push({ start, end })
  const program = parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    allowHashBang: true,
    onToken: token => keep(token.start, token.end),
    onComment: (_block, _text, start, end) => keep(start, end)
  })
  const taggedTemplates: Span[] = []
  collectTaggedTemplates(program, taggedTemplates)
  return { tokens: tokens.sort((a, b) => a.start - b.start), taggedTemplates }
}

function collectTaggedTemplates(node: unknown, found: Span[]): void {
  if (typeof node !== 'object' || node === null) return
  if (Array.isArray(node)) {
    for (const item of node) collectTaggedTemplates(item, found)
    return
  }
  const fields = node as Record<string, unknown> & Partial<Node>
  if (fields.type === 'TaggedTemplateExpression') found.push(fields as Node)
  for (const value of Object.values(fields)) collectTaggedTemplates(value, found)
}

function escapeUnit(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`
}

const LINE_SEPARATORS = [0x2028, 0x2029]

/**
 * The module's code with every character outside ASCII escaped, or a space where it was white
 * space between tokens. Where an escape would change what the code does (in a tagged template; a
 * line or paragraph separator between tokens, which ends a line), it stops the build instead.
 */
export function escapeNonAscii(code: string): string {
  const { tokens, taggedTemplates } = layoutOf(code)
  let tokenIndex = 0
  let escaped = ''
  for (let index = 0; index < code.length; index++) {
    const unit = code.charCodeAt(index)
    if (unit < 0x80) {
      escaped += code[index]
      continue
    }
    if (taggedTemplates.some(span => span.start <= index && index < span.end)) {
      throw new Error(`a character outside ASCII in a tagged template, at offset ${index}`)
    }
    while (tokenIndex < tokens.length && tokens[tokenIndex].end <= index) tokenIndex++
    const inToken = tokenIndex < tokens.length && tokens[tokenIndex].start <= index
    if (!inToken && LINE_SEPARATORS.includes(unit)) {
      throw new Error(`a line separator between tokens, at offset ${index}`)
    }
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
    try {
      writeFileSync(file, escapeNonAscii(code))
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error })
    }
  }
}
