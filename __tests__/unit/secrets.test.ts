import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../src/secrets.js'

// The forms are written out here rather than computed, so that an encoding the code forgets is
// not forgotten by its test too.
const SECRET = 'k y!\'()*~@+/="\\ä'
const FORMS = {
  raw: SECRET,
  encodeURIComponent: "k%20y!'()*~%40%2B%2F%3D%22%5C%C3%A4",
  formBody: 'k+y%21%27%28%29*%7E%40%2B%2F%3D%22%5C%C3%A4',
  encodeURI: "k%20y!'()*~@+/=%22%5C%C3%A4",
  base64: 'ayB5IScoKSp+QCsvPSJcw6Q=',
  base64url: 'ayB5IScoKSp-QCsvPSJcw6Q',
  json: 'k y!\'()*~@+/=\\"\\\\ä'
}

describe('Redactor', () => {
  it('registers every form a credential takes in a URL, a form body, base64 and JSON', () => {
    const masked = new Redactor([SECRET]).maskedForms
    for (const [name, form] of Object.entries(FORMS))
      expect({ name, masked: masked.includes(form) }).toEqual({ name, masked: true })
  })

  it.each(Object.entries(FORMS))('redacts the %s form inside a text', (_name, form) => {
    const redacted = new Redactor([SECRET, '', 'other']).redact(`before ${form} after other`)
    expect(redacted).toBe('before *** after ***')
  })
})
