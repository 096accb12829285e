import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../src/secrets.js'
import { ECHO_ENCODINGS } from '../support.ts'

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

// What servers and frameworks write when they echo a credential, written out for one credential;
// ECHO_ENCODINGS makes the same of any credential for the tests of whole runs.
const ECHOED_CREDENTIAL = "Late night!(1)*~'key/ä+=@&<"
const ENCODED: Record<keyof typeof ECHO_ENCODINGS, string> = {
  rfc3986Strict: 'Late%20night%21%281%29%2A~%27key%2F%C3%A4%2B%3D%40%26%3C',
  rfc3986StrictLowerCase: 'Late%20night%21%281%29%2a~%27key%2f%c3%a4%2b%3d%40%26%3c',
  goPathEscape: 'Late%20night%21%281%29%2A~%27key%2F%C3%A4+=@&%3C',
  goQueryEscape: 'Late+night%21%281%29%2A~%27key%2F%C3%A4%2B%3D%40%26%3C',
  goJson: "Late night!(1)*~'key/\u00e4+=@\\u0026\\u003c",
  jsonAsciiOnly: "Late night!(1)*~'key/\\u00e4+=@&<",
  javascriptEscapes:
    'Late\\u0020night\\u0021\\u00281\\u0029\\u002a\\u007e\\u0027key\\u002f\\u00e4\\u002b\\u003d\\u0040\\u0026\\u003c',
  htmlDecimalEntities:
    '&#76;&#97;&#116;&#101;&#32;&#110;&#105;&#103;&#104;&#116;&#33;&#40;&#49;&#41;&#42;&#126;&#39;&#107;&#101;&#121;&#47;&#228;&#43;&#61;&#64;&#38;&#60;',
  htmlHexEntities:
    '&#x4C;&#x61;&#x74;&#x65;&#x20;&#x6E;&#x69;&#x67;&#x68;&#x74;&#x21;&#x28;&#x31;&#x29;&#x2A;&#x7E;&#x27;&#x6B;&#x65;&#x79;&#x2F;&#xE4;&#x2B;&#x3D;&#x40;&#x26;&#x3C;',
  upperCase: "LATE NIGHT!(1)*~'KEY/\u00c4+=@&<",
  twicePercentEncoded:
    'Late%2520night%2521%25281%2529%252A~%2527key%252F%25C3%25A4%252B%253D%2540%2526%253C',
  fullWidth:
    '\uff2c\uff41\uff54\uff45 \uff4e\uff49\uff47\uff48\uff54\uff01\uff08\uff11\uff09\uff0a\uff5e\uff07\uff4b\uff45\uff59\uff0f\u00e4\uff0b\uff1d\uff20\uff06\uff1c',
  base64InsideAFormBody: 'az1MYXRlIG5pZ2h0ISgxKSp+J2tleS/DpCs9QCY8Jng9MQ==',
  zeroWidthBetween:
    "L\u200ba\u200bt\u200be\u200b \u200bn\u200bi\u200bg\u200bh\u200bt\u200b!\u200b(\u200b1\u200b)\u200b*\u200b~\u200b'\u200bk\u200be\u200by\u200b/\u200b\u00e4\u200b+\u200b=\u200b@\u200b&\u200b<"
}

describe('Redactor', () => {
  it('has the echo encodings of the whole-run tests write what is written out here', () => {
    const encoded = Object.fromEntries(
      Object.entries(ECHO_ENCODINGS).map(([name, encode]) => [name, encode(ECHOED_CREDENTIAL)])
    )
    expect(encoded).toEqual(ENCODED)
  })

  it.each(Object.entries(ENCODED))('redacts the credential echoed as %s', (_name, echo) => {
    const redactor = new Redactor([ECHOED_CREDENTIAL])
    const redacted = redactor.redact(`echo: ${echo}.`)
    expect(redacted).toContain('***')
    expect(redacted).not.toContain(echo)
    expect(redactor.excerpt(`echo: ${echo} and more`, 300)).toBe('echo: *** and more')
  })

  it('ignores case only for credentials of 8 characters or more', () => {
    expect(new Redactor(['Ab3xY9zQ']).redact('AB3XY9ZQ ab3xy9zq')).toBe('*** ***')
    expect(new Redactor(['Ab3xY9z']).redact('AB3XY9Z Ab3xY9z')).toBe('AB3XY9Z ***')
  })

  it.each([
    ['pass word99', `pass${' '.repeat(26)}x`],
    [' leading space key', `${' '.repeat(26)}x`],
    ['abcdefghijklmnopqrstuvwx', 'ABCDEFGHIJKLMNOPQRSTUVW!'.repeat(2000)],
    ['a\u00e4b\u00e4c\u00e4d\u00e4e\u00e4', '&#97;&#xC4;&#98;&#228;%63%C3%84d'.repeat(2000)],
    ['s p a c e s x', `s${' +%20&#32;'.repeat(2000)}`]
  ])('redacts in time linear in the text, whatever near miss of %j it is given', (secret, text) => {
    const redactor = new Redactor([secret])
    // A pattern that backtracks exponentially takes minutes on these; a linear one, milliseconds.
    const started = performance.now()
    redactor.redact(text)
    redactor.excerpt(text, 300)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it.each([
    ['octal escapes', '\\132\\161\\067\\153\\120\\062\\155\\130\\171\\124'],
    ['quoted-printable', '=5A=71=37=6B=50=32=6D=58=79=54'],
    ['CSS escapes', '\\5a \\71 \\37 \\6b \\50 \\32 \\6d \\58 \\79 \\54 '.replace(/ /g, '')],
    ['ES2015 escapes', '\\u{5a}\\u{71}\\u{37}\\u{6b}\\u{50}\\u{32}\\u{6d}\\u{58}\\u{79}\\u{54}'],
    ['%u escapes', '%u005a%u0071%u0037%u006b%u0050%u0032%u006d%u0058%u0079%u0054'],
    [
      'base64 twice',
      Buffer.from(Buffer.from('token=Zq7kP2mXyT').toString('base64')).toString('base64')
    ]
  ])('redacts a credential a server quotes in %s', (_name, echo) => {
    const redactor = new Redactor(['Zq7kP2mXyT'])
    expect(redactor.excerpt(`error: got ${echo} here`, 300)).toBe('error: got *** here')
  })

  it('redacts a credential that an echo upper-cased and then encoded', () => {
    const redactor = new Redactor(['late-night-key-1234'])
    const upperThenEntities = [...'LATE-NIGHT-KEY-1234'].map(
      c => `&#x${c.charCodeAt(0).toString(16)};`
    )
    expect(redactor.redact(`key=${upperThenEntities.join('')}`)).toBe('key=***')
    expect(redactor.redact('key=LATE%2DNIGHT%2dkey%2D1234')).toBe('key=***')
  })

  it('redacts a credential echoed in mixed spellings, and leaves other text alone', () => {
    const redactor = new Redactor(['s3cret value'])
    const text = 'key=S3%63ret&#x20;v\u0061lue; other=s3cret-valve'
    expect(redactor.redact(text)).toBe('key=***; other=s3cret-valve')
  })

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
