// The README's workflow examples are what users copy. None may paste an expression into a
// script: an output or an input can carry a name from echo3D, and `${{ … }}` inside `run:` turns
// it into shell code. Values go to scripts through `env:`, as GitHub's hardening guide says.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseAllDocuments } from 'yaml'
import { PROJECT_ROOT } from '../../harness/runner.ts'

const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')
const examples = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map(match => match[1])

/** Every `run:` script in a parsed YAML value, wherever it is nested. */
function scripts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(scripts)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'run' && typeof inner === 'string' ? [inner] : scripts(inner)
  )
}

describe("the README's workflow examples", () => {
  it('are there to check, and each is valid YAML', () => {
    expect(examples.length).toBeGreaterThan(5)
    for (const example of examples) {
      for (const document of parseAllDocuments(example)) expect(document.errors).toEqual([])
    }
  })

  it('never put an expression inside a run: script', () => {
    const runs = examples.flatMap(example =>
      parseAllDocuments(example).flatMap(document => scripts(document.toJS()))
    )
    expect(runs.length).toBeGreaterThan(0)
    expect(runs.filter(script => script.includes('${{'))).toEqual([])
  })
})
