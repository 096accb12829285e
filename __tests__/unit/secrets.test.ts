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
  json: 'k y!\'()*~@+/=\\"\\\\ä',
  lowerCasePercent: "k%20y!'()*~%40%2b%2f%3d%22%5c%c3%a4",
  plusForSpace: "k+y!'()*~%40%2B%2F%3D%22%5C%C3%A4"
}

// What servers make of a credential when they echo it back.
const ECHOED = {
  htmlEscaped: ['a&b<c>"d\'e', 'a&amp;b&lt;c&gt;"d\'e'],
  htmlEscapedQuotes: ['a&b<c>"d\'e', 'a&amp;b&lt;c&gt;&quot;d&#39;e'],
  htmlEscapedQuotesAsCodes: ['a&b<c>"d\'e', 'a&amp;b&lt;c&gt;&#34;d&#x27;e'],
  whitespaceCollapsed: ['tab\there  twice', 'tab here twice']
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

  it.each(Object.entries(ECHOED))(
    'redacts the %s form a server echoes',
    (_name, [secret, form]) => {
      expect(new Redactor([secret]).redact(`echo: ${form}.`)).toBe('echo: ***.')
    }
  )

  it('quotes a server without cutting a credential in two', () => {
    const redactor = new Redactor([SECRET])
    const body = `${'x'.repeat(290)} key=${SECRET} and more`
    expect(redactor.excerpt(body, 300)).toBe(`${'x'.repeat(290)} key=*** a…`)
    const readUpToHalf = `error: ${SECRET.slice(0, 8)}`
    expect(redactor.excerpt(readUpToHalf, 300)).toBe('error: ***')
    expect(redactor.excerpt('  many\n\n   spaces  ', 300)).toBe('many spaces')
    const straddling = `${'x'.repeat(295)}${SECRET}${'y'.repeat(50)}`
    expect(redactor.excerpt(straddling, 300)).not.toContain(SECRET.slice(0, 4))
  })
})
