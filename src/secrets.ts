// Credentials must never reach a log line in any form. The runner masks a value registered with
// setSecret and its base64, but not what encodeURIComponent or URLSearchParams make of it, nor
// what a server makes of it when it echoes a request back: escaped for HTML, percent-encoded in
// lower case, with `+` for spaces, or with its whitespace collapsed. So every such form is
// registered and redacted here, and a server's words are quoted only through `excerpt`, which
// never cuts a credential in two.

const REDACTED = '***'
/** A shorter start of a credential, left where a quote is cut, says too little to matter. */
const MIN_REVEALING_PREFIX = 4

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

  constructor(secrets: readonly string[]) {
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
    const whole = this.withoutCredentialStart(collapsed)
    const characters = [...whole]
    if (characters.length <= maxCharacters) return whole
    return `${characters.slice(0, maxCharacters).join('')}…`
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
