// The ways a server, a framework or a proxy may write a credential back: each character as it
// is or in another case, percent-encoded (once or twice, in either case, strict or lenient), as
// an HTML entity, as a JSON or JavaScript escape, in full width, with zero-width characters
// between, and with its whitespace collapsed. A mix of these within one echo is as likely as any
// one of them, so a credential is matched character by character rather than as a list of whole
// forms. Base64 is the exception: its characters depend on their neighbours, so its forms are
// listed whole, at each of the three alignments a credential may have inside a longer text.

/** Characters a renderer does not show, which an echo may carry between a credential's own. */
const INVISIBLE = '(?:\\u00AD|[\\u200B-\\u200D]|\\u2060|\\uFEFF)*'
/**
 * JavaScript's `\\s` without U+FEFF, which INVISIBLE matches: no character may match two parts
 * of a pattern that repeat next to each other, or a near miss would cost exponential time.
 */
const WHITESPACE =
  '[\\t\\n\\v\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]'

const NAMED_ENTITIES: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;']
}

const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/'
}

/**
 * A pattern that matches `secret` in any mix of the spellings above; `ignoreCase` for
 * credentials long enough that another word in another case will not match them by chance.
 */
export function spellingPattern(secret: string, ignoreCase: boolean): RegExp {
  const units = secret.match(/\s+|[^\s]/gu) ?? []
  const patterns = units.map((unit, index) => {
    if (!/^\s+$/.test(unit)) return `(?:${characterSpellings(unit, ignoreCase).join('|')})`
    const atEnd = index === 0 || index === units.length - 1
    // Collapsed or trimmed by the echo: a run of any length, or none at either end.
    return `(?:${whitespaceSpellings(unit[0]).join('|')})${atEnd ? '*' : '+'}`
  })
  return new RegExp(patterns.join(INVISIBLE), ignoreCase ? 'gi' : 'g')
}

/**
 * The ways one character is written, no two of which match the same text: where two did, a near
 * miss would cost time exponential in the credential's length. The pattern's own flag matches the
 * character and its full width in either case; the escapes of each case are spelt out, since an
 * echo may change the case and then encode.
 */
function characterSpellings(character: string, ignoreCase: boolean): string[] {
  const cases = ignoreCase ? caseVariants(character) : [character]
  const escapes = new Set(cases.flatMap(escapedSpellings))
  return [escapeForPattern(character), ...fullWidth(character), ...escapes]
}

function caseVariants(character: string): string[] {
  const variants = [character, character.toLowerCase(), character.toUpperCase()]
  return [...new Set(variants)].filter(variant => [...variant].length === 1)
}

/** Any whitespace, or an escape of a space or of the credential's own whitespace character. */
function whitespaceSpellings(character: string): string[] {
  return [WHITESPACE, ...new Set([...escapedSpellings(' '), ...escapedSpellings(character)])]
}

function escapedSpellings(character: string): string[] {
  const spellings = [percentEncoded(character), ...entities(character)]
  spellings.push(...codeUnitEscapes(character))
  if (character === ' ') spellings.push('\\+')
  const backslashed = BACKSLASH_ESCAPES[character]
  if (backslashed) spellings.push(escapeForPattern(backslashed))
  return spellings
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

function hexDigits(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, digit => `[${digit}${digit.toUpperCase()}]`)
}

/** Each UTF-8 byte as `%XX`, or `%25XX` where the echo encoded the text twice. */
function percentEncoded(character: string): string {
  return [...Buffer.from(character, 'utf8')].map(byte => `%(?:25)?${hexDigits(byte, 2)}`).join('')
}

/** What NFKC folds to ASCII: the full-width forms of the printable characters. */
function fullWidth(character: string): string[] {
  const code = character.charCodeAt(0)
  if (character.length !== 1 || code < 0x21 || code > 0x7e) return []
  return [String.fromCharCode(code - 0x21 + 0xff01)]
}

function entities(character: string): string[] {
  const codePoint = character.codePointAt(0) ?? 0
  return [
    `&#0*${codePoint};`,
    `&#[xX]0*${hexDigits(codePoint, 1)};`,
    ...(NAMED_ENTITIES[character] ?? [])
  ]
}

/** JSON's and JavaScript's `\uXXXX` (per UTF-16 unit), and `\xXX` for one byte. */
function codeUnitEscapes(character: string): string[] {
  const units = [...Array(character.length).keys()].map(index => character.charCodeAt(index))
  const escapes = [units.map(unit => `\\\\u${hexDigits(unit, 4)}`).join('')]
  if (units.length === 1 && units[0] < 0x100) escapes.push(`\\\\x${hexDigits(units[0], 2)}`)
  return escapes
}

/**
 * The whole forms a credential takes that the runner should mask as it masks the credential:
 * the runner matches exact text only, so these are the spellings most likely to be written.
 */
export function literalForms(secret: string, ignoreCase: boolean): string[] {
  const percentForms = [
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURI(secret),
    strictPercentEncoded(secret)
  ].flatMap(form => [form, lowerCaseEscapes(form), form.replace(/%20/g, '+')])
  return [
    secret,
    secret.replace(/\s+/g, ' ').trim(),
    ...(ignoreCase ? [secret.toUpperCase(), secret.toLowerCase()] : []),
    ...percentForms,
    JSON.stringify(secret).slice(1, -1),
    ...base64Forms(secret)
  ]
}

/** RFC 3986's unreserved characters kept, every other byte escaped (Python's quote(safe='')). */
function strictPercentEncoded(secret: string): string {
  return encodeURIComponent(secret).replace(
    /[!'()*]/g,
    character => `%${character.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

function lowerCaseEscapes(form: string): string {
  return form.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())
}

/** Part of a longer base64 text shorter than this could be any text's. */
const MIN_BASE64_CHARACTERS = 8

/**
 * The credential's base64 on its own, and the characters that depend on its bytes alone inside a
 * longer encoded text, where it may start at any of a three-byte group's bytes.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const parts: string[] = []
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    parts.push(
      encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6))
    )
  }
  const stable = parts.filter(part => part.length >= MIN_BASE64_CHARACTERS)
  return [bytes.toString('base64'), ...stable].flatMap(form => [form, inUrlAlphabet(form)])
}

function inUrlAlphabet(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** What a word in an echo may be once its escapes are undone, for the look-alike check. */
export function unescaped(word: string): string {
  let text = word
  // Text encoded three times over needs three rounds; more is not worth the cost of every word.
  for (let round = 0; round < 3; round++) text = percentDecoded(text)
  return decodedEscapes(text).normalize('NFKC')
}

function percentDecoded(text: string): string {
  if (!/%[0-9a-f]{2}/i.test(text)) return text
  const bytes = text.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) =>
    String.fromCharCode(parseInt(hex, 16))
  )
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

/** Entities, and the escapes of JSON, JavaScript, CSS, C (octal) and quoted-printable mail. */
function decodedEscapes(text: string): string {
  const byHex = (_escape: string, hex: string) => fromCodePoint(parseInt(hex, 16))
  return text
    .replace(/&#x([0-9a-f]{1,6});?/gi, byHex)
    .replace(/&#(\d{1,7});?/g, (_entity, digits: string) => fromCodePoint(Number(digits)))
    .replace(/\\u\{([0-9a-f]{1,6})\}/gi, byHex)
    .replace(/(?:\\|%)u([0-9a-f]{4})/gi, byHex)
    .replace(/\\x([0-9a-f]{2})/gi, byHex)
    .replace(/\\([0-7]{3})/g, (_escape, octal: string) => fromCodePoint(parseInt(octal, 8)))
    .replace(/\\([0-9a-f]{1,6}) ?/gi, byHex)
    .replace(/=([0-9A-F]{2})/g, byHex)
}

function fromCodePoint(codePoint: number): string {
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : ''
}
