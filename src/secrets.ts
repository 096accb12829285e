// Credentials must never reach a log line in any form. The runner masks a value registered with
// setSecret and its base64, but not what encodeURIComponent or URLSearchParams make of it, nor
// what a server makes of it when it echoes a request back: escaped for HTML, percent-encoded in
// lower case, with `+` for spaces, or with its whitespace collapsed. So every such form is
// registered and redacted here, and a server's words are quoted only through `excerpt`, which
// never cuts a credential in two.

const REDACTED = '***'
/** A shorter start of a credential, left where a quote is cut, says too little to matter. */
const MIN_REVEALING_PREFIX = 4
/** In a quote, a word that holds this many characters of a credential, in any form, is one. */
const LOOKALIKE_CHARACTERS = 6

function encodedForms(secret: string): string[] {
  const percentEncoded = [
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURI(secret)
  ]
  const forms = new Set<string>([
    secret,
    secret.replace(/\s+/g, ' ').trim(),
    ...percentEncoded.flatMap(form => [form, lowerCaseEscapes(form), form.replace(/%20/g, '+')]),
    ...htmlEscapedForms(secret),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    JSON.stringify(secret).slice(1, -1)
  ])
  return [...forms].filter(form => form.length > 0)
}

function lowerCaseEscapes(form: string): string {
  return form.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())
}

/** As HTML shows it, with the quotes in either of the entities servers use for them. */
function htmlEscapedForms(secret: string): string[] {
  const escaped = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return [
    escaped,
    escaped.replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    escaped.replace(/"/g, '&#34;').replace(/'/g, '&#x27;')
  ]
}

export class Redactor {
  private readonly forms: string[]
  /** Each credential's letters and digits, lower-cased: what survives any re-encoding of it. */
  private readonly cores: string[]

  constructor(secrets: readonly string[]) {
    this.cores = secrets.map(lettersAndDigits).filter(core => core.length >= MIN_REVEALING_PREFIX)
    const all = secrets.filter(secret => secret.length > 0).flatMap(encodedForms)
    // Longest first, so that a form that contains another is replaced whole.
    this.forms = [...new Set(all)].sort((a, b) => b.length - a.length)
  }

  /** Every form to hand to core.setSecret. */
  get maskedForms(): readonly string[] {
    return this.forms
  }

  redact(text: string): string {
    let result = text
    for (const form of this.forms) result = result.split(form).join(REDACTED)
    return result
  }

  /**
   * A server's text, fit to quote in a message: redacted, whitespace collapsed, and cut to
   * `maxCharacters`. `text` may itself be cut (a body read only so far): a credential's start left
   * at its end is redacted too.
   */
  excerpt(text: string, maxCharacters: number): string {
    const collapsed = this.redact(this.redact(text).replace(/\s+/g, ' ').trim())
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
  private withoutLookalikes(text: string): string {
    return text
      .split(' ')
      .map(word => (this.resembles(word) ? REDACTED : word))
      .join(' ')
  }

  private resembles(word: string): boolean {
    return [word, ...decodings(word)].some(candidate => {
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

/** What a word may be an encoding of: base64 (either alphabet) or hex. */
function decodings(word: string): string[] {
  const decoded: string[] = []
  if (/^[0-9a-f]{12,}$/i.test(word) && word.length % 2 === 0) {
    decoded.push(Buffer.from(word, 'hex').toString('latin1'))
  }
  if (/^[A-Za-z0-9+/_-]{12,}={0,2}$/.test(word)) {
    decoded.push(Buffer.from(word, 'base64').toString('latin1'))
  }
  return decoded
}
