// The build writes the bundles in ASCII (scripts/ascii-bundle.ts), so that Node keeps their source
// at one byte per character.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { runInNewContext } from 'node:vm'
import { escapeNonAscii } from '../../scripts/ascii-bundle.ts'
import { PROJECT_ROOT } from '../../harness/runner.ts'

describe('escapeNonAscii', () => {
  it('writes what is outside ASCII as escapes that mean the same in code', () => {
    const source =
      'const message = `✓ ${name} → 3 × 4` // done ✓\nconst letters = /^[¹²³]$/; const face = "😀"'
    const escaped = escapeNonAscii(source)
    expect(escaped).not.toMatch(/[\u0080-\uffff]/)
    const evaluate = (code: string) =>
      runInNewContext(`const name = 'a'; ${code}; [message, letters.test('²'), face]`) as unknown[]
    expect(evaluate(escaped)).toEqual(evaluate(source))
    expect(evaluate(escaped)).toEqual(['✓ a → 3 × 4', true, '😀'])
  })

  it('turns a no-break space between tokens into a space, and keeps one in a string', () => {
    const source = 'const options = undefined ||\u00a0{ text: "a\u00a0b" }'
    const escaped = escapeNonAscii(source)
    expect(escaped).toBe('const options = undefined || { text: "a\\u00a0b" }')
    const evaluate = (code: string) => runInNewContext(`${code}; options.text`) as string
    expect(evaluate(escaped)).toBe('a\u00a0b')
  })

  it('stops where an escape would change the meaning', () => {
    expect(() => escapeNonAscii('const arrow = String.raw`→`')).toThrow(/tagged template/)
    expect(() => escapeNonAscii('// a note\u2028const two = 2')).toThrow(/line separator/)
    expect(escapeNonAscii('const arrow = `→`')).toBe('const arrow = `\\u2192`')
  })

  it('leaves ASCII text as it is', () => {
    const code = "const text = 'plain \\n text' // a comment"
    expect(escapeNonAscii(code)).toBe(code)
  })
})

describe('the bundles in dist/', () => {
  it('are ASCII throughout', () => {
    const dist = path.join(PROJECT_ROOT, 'dist')
    const bundles = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter(name =>
      name.endsWith('.js')
    )
    expect(bundles.length).toBeGreaterThan(4)
    for (const bundle of bundles) {
      const file = path.join(dist, bundle)
      const outside = readFileSync(file, 'latin1').match(/[\u0080-\uffff]/)
      expect({ bundle, outside: outside?.[0] }).toEqual({ bundle, outside: undefined })
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' })
      expect({ bundle, error: check.stderr }).toEqual({ bundle, error: '' })
    }
  })
})
