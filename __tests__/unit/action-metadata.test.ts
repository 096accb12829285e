// action.yml, the code and the README describe the same inputs and outputs, with the same
// defaults: a test, so that none of the three can drift from the others. The README's reference is
// generated from action.yml (scripts/readme-reference.ts), so the test is that it is up to date.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../../harness/runner.ts'
import { parseInputs } from '../../src/settings/inputs.js'
import { INPUTS, inputNames, type InputName } from '../../src/settings/spec.js'
import { OUTPUTS } from '../../src/action/outputs.js'
import { withReference } from '../../scripts/readme-reference.ts'

interface ActionMetadata {
  name: string
  description: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, { default?: string; required?: boolean; description: string }>
  outputs: Record<string, { description: string }>
}

const actionYml = readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')
const metadata = parse(actionYml) as ActionMetadata
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')

/** How the README's reference marks an input: required, with its default, or neither. */
function qualifier(input: { default?: string; required?: boolean }): string {
  if (input.required) return ' (required)'
  return input.default ? ` (default \`${input.default}\`)` : ''
}

describe('the inputs', () => {
  it('are the same in action.yml and in the code, with the same defaults', () => {
    expect(inputNames().sort()).toEqual(Object.keys(metadata.inputs).sort())
    for (const [name, input] of Object.entries(metadata.inputs)) {
      const spec: { default?: string; required?: boolean } = INPUTS[name as InputName]
      expect({ name, default: spec.default, required: spec.required ?? false }).toEqual({
        name,
        default: input.default,
        required: input.required ?? false
      })
    }
  })

  it("parse to the same values from action.yml's defaults as from blank inputs", () => {
    // A blank lockfile or token means "none"; the runner fills in their defaults when absent.
    const set = {
      'api-key': 'k',
      email: 'e@example.com',
      'user-key': 'u',
      entries: 'a1',
      'github-token': 'token',
      lockfile: metadata.inputs.lockfile.default ?? ''
    }
    const given: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(metadata.inputs).map(([name, input]) => [name, input.default ?? ''])
      ),
      ...set
    }
    const blank: Record<string, string> = set
    const workspace = '/home/runner/work/app/app'
    const fromDefaults = parseInputs(name => given[name] ?? '', workspace)
    const fromBlanks = parseInputs(name => blank[name] ?? '', workspace)
    expect(fromBlanks).toEqual(fromDefaults)
  })
})

describe('the outputs', () => {
  it('are the same in action.yml and in the code', () => {
    expect([...OUTPUTS].sort()).toEqual(Object.keys(metadata.outputs).sort())
  })
})

describe("the README's inputs and outputs reference", () => {
  it('is what scripts/readme-reference.ts renders from action.yml now (npm run docs)', () => {
    expect(readme).toEqual(withReference(readme, actionYml))
  })

  it('names every input with its default, and every output', () => {
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect(readme).toContain(`- **\`${name}\`**${qualifier(input)}: `)
    }
    for (const name of Object.keys(metadata.outputs)) {
      expect(readme).toContain(`- **\`${name}\`**: `)
    }
  })
})

describe('the descriptions', () => {
  it('hold no expression: the runner evaluates ${{ }} in action.yml, where most contexts do not exist', () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')
    const descriptions = text.split('\n').filter(line => /^\s*description:/.test(line))
    expect(descriptions.length).toBeGreaterThan(10)
    expect(descriptions.filter(line => line.includes('${{'))).toEqual([])
  })
})

describe('the Marketplace listing', () => {
  it('has a name, a description under 125 characters, and branding the Marketplace accepts', () => {
    expect(metadata.name.length).toBeGreaterThan(0)
    expect(metadata.description.length).toBeLessThan(125)
    expect(metadata.branding?.icon).toMatch(/^[a-z0-9-]+$/)
    const colors = [
      'white',
      'black',
      'yellow',
      'blue',
      'green',
      'orange',
      'red',
      'purple',
      'gray-dark'
    ]
    expect(colors).toContain(metadata.branding?.color)
  })
})
