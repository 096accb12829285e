// Credentials must never reach a log line in any form. The runner masks a value registered with
// setSecret and its base64, but not what encodeURIComponent or URLSearchParams make of it, nor
// what a server makes of it when it echoes a request back (see spellings.ts). So every text the
// action writes is redacted here first, and a server's words are quoted only through `excerpt`,
// which never cuts a credential in two.

import { literalForms, spellingPattern, unescaped } from './spellings.js'

const REDACTED = '***'
/** A shorter start of a credential, left where a quote is cut, says too little to matter. */
const MIN_REVEALING_PREFIX = 4
/** In a quote, a word that holds this many characters of a credential, in any form, is one. */
const LOOKALIKE_CHARACTERS = 6
/** From this length, a credential in another case is still the credential, not another word. */
const MIN_CASE_BLIND_LENGTH = 8

export class Redactor {
  private readonly forms: string[]
  private readonly patterns: RegExp[]
  /** Each credential's letters and digits, lower-cased: what survives any re-encoding of it. */
  private readonly cores: string[]

  constructor(secrets: readonly string[]) {
    const credentials = secrets.filter(secret => secret.length > 0)
    this.cores = credentials
      .map(lettersAndDigits)
      .filter(core => core.length >= MIN_REVEALING_PREFIX)
    const all = credentials
      .flatMap(secret => literalForms(secret, isCaseBlind(secret)))
      .filter(form => form.length > 0)
    // Longest first, so that a form that contains another is replaced whole.
    this.forms = [...new Set(all)].sort((a, b) => b.length - a.length)
    this.patterns = credentials.map(secret => spellingPattern(secret, isCaseBlind(secret)))
  }

  /** Every form to hand to core.setSecret. */
  get maskedForms(): readonly string[] {
    return this.forms
  }

  redact(text: string): string {
    let result = text
    for (const form of this.forms) {
      // Most texts hold no credential: a look first spares the split and join that a summary of
      // thousands of rows would otherwise pay for every form of every cell.
      if (result.includes(form)) result = result.split(form).join(REDACTED)
    }
    for (const pattern of this.patterns) result = result.replace(pattern, REDACTED)
    return result
  }

  /**
   * A server's text, fit to quote in a message: redacted, whitespace collapsed, and cut to
   * `maxCharacters`. `text` may itself be cut (a body read only so far): a credential's start left
   * at its end is redacted too.
   */
  excerpt(text: string, maxCharacters: number): string {
    // Base64 and hex words first: a spelling redacted inside one would break its decoding.
    const redacted = this.redact(this.withoutLookalikes(text, decodings))
    const collapsed = this.redact(redacted.replace(/\s+/g, ' ').trim())
    const whole = this.withoutLookalikes(this.withoutCredentialStart(collapsed))
    const characters = [...whole]
    if (characters.length <= maxCharacters) return whole
    return `${characters.slice(0, maxCharacters).join('')}…`
  }

  /**
   * A server may echo a credential in forms no list foresees: upper-cased, entity-escaped in hex,
   * cut, wrapped, or a whole form body in base64 or hex. In a quote, any word that holds part of a
   * credential's letters and digits, as it stands or decoded, is redacted whole.
   */
  private withoutLookalikes(text: string, readings = everyReading): string {
    return text
      .split(/(\s+)/)
      .map(part => (this.resembles(readings(part)) ? REDACTED : part))
      .join('')
  }

  private resembles(readings: readonly string[]): boolean {
    return readings.some(candidate => {
      const letters = lettersAndDigits(candidate)
      return this.cores.some(core => sharesRun(letters, core))
    })
  }

  private withoutCredentialStart(text: string): string {
    for (const form of this.forms) {
      for (let length = form.length - 1; length >= MIN_REVEALING_PREFIX; length--) {
        if (text.endsWith(form.slice(0, length))) return text.slice(0, -length) + REDACTED
      }
    }
    return text
  }
}

function isCaseBlind(secret: string): boolean {
  return [...secret].length >= MIN_CASE_BLIND_LENGTH
}

function lettersAndDigits(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase()
}

/** Whether `text` holds a run of LOOKALIKE_CHARACTERS (or all) of `core`'s characters. */
function sharesRun(text: string, core: string): boolean {
  const length = Math.min(LOOKALIKE_CHARACTERS, core.length)
  for (let start = 0; start + length <= core.length; start++) {
    if (text.includes(core.slice(start, start + length))) return true
  }
  return false
}

/** A word as it stands, with its escapes undone, and what it may be an encoding of. */
function everyReading(word: string): string[] {
  return [word, unescaped(word), ...decodings(word)]
}

/** What a word may be an encoding of: base64 (either alphabet) or hex, once or twice over. */
function decodings(word: string): string[] {
  const once = decodedOnce(word)
  return [...once, ...once.flatMap(decoded => decodedOnce(decoded.trim()))]
}

function decodedOnce(word: string): string[] {
  const decoded: string[] = []
  if (/^[0-9a-f]{12,}$/i.test(word) && word.length % 2 === 0) {
    decoded.push(Buffer.from(word, 'hex').toString('latin1'))
  }
  if (/^[A-Za-z0-9+/_-]{12,}={0,2}$/.test(word)) {
    decoded.push(Buffer.from(word, 'base64').toString('latin1'))
  }
  return decoded
}
