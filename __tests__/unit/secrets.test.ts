import { describe, expect, it } from '@jest/globals'
import { Redactor, encodedForms } from '../../src/secrets.js'

const SECRET = "a b!'()*~@+/="

describe('Redactor', () => {
  it('knows the forms the runner does not mask', () => {
    const forms = encodedForms(SECRET)
    expect(forms).toContain(SECRET)
    expect(forms).toContain(encodeURIComponent(SECRET))
    expect(forms).toContain(new URLSearchParams({ s: SECRET }).toString().slice(2))
    expect(forms).toContain(Buffer.from(SECRET).toString('base64'))
  })

  it('redacts every form in a text', () => {
    const redactor = new Redactor([SECRET, '', 'other'])
    const query = new URLSearchParams({ key: SECRET, userKey: 'other' }).toString()
    const text = `url ?${query} raw ${SECRET} uri ${encodeURIComponent(SECRET)} b64 ${Buffer.from(SECRET).toString('base64')}`
    const redacted = redactor.redact(text)
    for (const form of encodedForms(SECRET)) expect(redacted).not.toContain(form)
    expect(redacted).not.toContain('other')
    expect(redacted).toContain('***')
  })
})
