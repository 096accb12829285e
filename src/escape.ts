// Text from outside (echo3D's names, IDs and extensions, the lockfile, what a server sends) is
// escaped here, once for each place it can reach: a line of the job log, the HTML of the job
// summary, the Markdown of a pull request, a commit message. Redact credentials before escaping:
// an escaped credential no longer looks like itself.

/**
 * Controls (C0, DEL, C1), format characters (zero-width, direction overrides and isolates, the
 * byte order mark) and the line and paragraph separators of Unicode.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu

/** The text without its hidden characters: for names, which must not hide anything. */
export function withoutHidden(text: string): string {
  return text.replace(HIDDEN, '')
}

/**
 * The text cut to at most `maxCharacters` characters, the last of them `…` where it was cut: a
 * value quoted from outside (a lockfile's path, a configuration's value) stays a line one reads.
 */
export function clipped(text: string, maxCharacters: number): string {
  if (text.length <= maxCharacters) return text
  const kept: string[] = []
  for (const character of text) {
    if (kept.length === maxCharacters) return `${kept.slice(0, -1).join('')}…`
    kept.push(character)
  }
  return text
}

/** Shows a hidden character as its code point, so a reader sees that it was there. */
function visible(character: string): string {
  const code = character.codePointAt(0) ?? 0
  return `\\u{${code.toString(16)}}`
}

/**
 * One line of the job log: no line break or other hidden character survives, so nothing from
 * outside can start a line (where `::name::` is a workflow command), and `##[` shows its bracket
 * as a code point, since the runner reads the older `##[name]` commands anywhere in a line.
 */
export function forLog(text: string): string {
  return text.replace(HIDDEN, visible).replace(/##\[/g, '##\\u{5b}')
}

/**
 * A JSON document for a terminal: hidden characters that JSON.stringify leaves as they are (C1
 * controls, direction overrides, line separators) become \u escapes, which JSON reads back the same.
 */
export function forJson(json: string): string {
  return json.replace(HIDDEN, character =>
    character === '\n'
      ? character
      : unitsOf(character)
          .map(code => `\\u${code.toString(16).padStart(4, '0')}`)
          .join('')
  )
}

function unitsOf(character: string): number[] {
  const units: number[] = []
  for (let index = 0; index < character.length; index++) units.push(character.charCodeAt(index))
  return units
}

/** Text inside HTML, such as the job summary's tables and lists. */
export function forHtml(text: string): string {
  return forLog(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * A cell of a Markdown table in a pull request: a code span, in which GitHub renders no HTML,
 * formatting, link, mention (`@user`), reference (`#1`, which a closing keyword would act on) or
 * math, with a fence longer than any run of backticks in the text, and no `|` to open a new cell.
 */
export function forMarkdown(text: string): string {
  const line = forLog(text).replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const padding = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
  return `${fence}${padding}${line}${padding}${fence}`
}

/**
 * A line of a commit message: no line break, so no forged trailer or second paragraph, `#`, `@`
 * and the colon of `://` in their full-width forms and the hyphen of `GH-1` a non-breaking one,
 * so that GitHub finds no issue to close or refer to (by number or by address) and no one to
 * mention.
 */
export function forCommitMessage(text: string): string {
  return forLog(text)
    .replace(/#/g, '\uff03')
    .replace(/@/g, '\uff20')
    .replace(/:\/\//g, '\uff1a//')
    .replace(/\b(gh)-(?=\d)/gi, '$1\u2011')
}
