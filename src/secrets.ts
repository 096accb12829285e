// Credentials must never reach a log line in any form. The runner masks a value registered
// with setSecret and its base64, but not what encodeURIComponent or URLSearchParams make of it,
// so every form a credential can take in a URL or form body is registered and redacted here.

const REDACTED = '***'

function encodedForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURI(secret),
    Buffer.from(secret, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64url'),
    JSON.stringify(secret).slice(1, -1)
  ])
  return [...forms].filter(form => form.length > 0)
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
}
