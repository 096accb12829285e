// The workflow examples of the README and docs/ are what users copy. None may paste an expression
// into a script: an output or an input can carry a name from echo3D, and `${{ … }}` inside `run:`
// turns it into shell code. Values go to scripts through `env:`, as GitHub's hardening guide says.
import { describe, expect, it } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import { yamlExamples } from './documentation.ts'

const examples = yamlExamples().map(example => example.text)

/** Every `run:` script in a parsed YAML value, wherever it is nested. */
function scripts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(scripts)
  if (typeof value !== 'object' || value === null) return []
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'run' && typeof inner === 'string' ? [inner] : scripts(inner)
  )
}

describe('the workflow examples of the README and docs/', () => {
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
