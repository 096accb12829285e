import { describe, expect, it } from '@jest/globals'
import {
  clipped,
  forCommitMessage,
  forHtml,
  forJson,
  forLog,
  forMarkdown
} from '../../src/escape.js'

const HOSTILE = 'a\n::error::b\r\u0085c\u202ed\u200be\u2028f'

describe('escaping text from outside', () => {
  it('leaves no hidden character raw in a JSON document, which still reads back the same', () => {
    const value = { name: 'a\u009b2Jb\u202ec\u2028d\u{e0041}e\u001bf', list: [1] }
    const json = forJson(JSON.stringify(value, null, 2))
    expect(json).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}](?<!\n)/u)
    expect(JSON.parse(json)).toEqual(value)
  })

  it('keeps every line break and hidden character out of a log line, visibly', () => {
    expect(forLog(HOSTILE)).toBe('a\\u{a}::error::b\\u{d}\\u{85}c\\u{202e}d\\u{200b}e\\u{2028}f')
    expect(forLog('Lámpara 台灯.glb')).toBe('Lámpara 台灯.glb')
  })

  it('escapes HTML after the hidden characters', () => {
    expect(forHtml(`<img src=x onerror="alert('1')">&\n`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;\\u{a}'
    )
  })

  it('puts a Markdown table cell in a code span that nothing in it can close or split', () => {
    expect(forMarkdown('closes #1 @octocat [a](http://x) <b> $x^2$')).toBe(
      '`closes #1 @octocat [a](http://x) <b> $x^2$`'
    )
    expect(forMarkdown('a | b ``c`')).toBe('``` a \\| b ``c` ```')
  })

  it('keeps a commit message line on one line, with no reference or mention GitHub acts on', () => {
    expect(forCommitMessage('model.glb\n\nSigned-off-by: x')).toBe(
      'model.glb\\u{a}\\u{a}Signed-off-by: x'
    )
    expect(forCommitMessage('fixes #1 @octocat')).toBe('fixes \uff031 \uff20octocat')
    expect(forCommitMessage('fixes GH-12, gh-3, GH-x')).toBe('fixes GH\u201112, gh\u20113, GH-x')
    expect(forCommitMessage('fixes https://github.com/o/r/issues/1')).toBe(
      'fixes https\uff1a//github.com/o/r/issues/1'
    )
  })
})

describe('clipped', () => {
  it('keeps a short text, and cuts a long one to the length with an ellipsis, by characters', () => {
    expect(clipped('robot.glb', 9)).toBe('robot.glb')
    expect(clipped('robot.glb', 6)).toBe('robot…')
    expect(clipped('🚀🚀🚀', 3)).toBe('🚀🚀🚀')
    expect(clipped('🚀🚀🚀🚀', 3)).toBe('🚀🚀…')
  })
})
