// action.yml, the code and the README describe the same inputs and outputs, with the same
// defaults: a test, so that none of the three can drift from the others.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../../harness/runner.ts'
import { parseInputs } from '../../src/settings/inputs.js'
import { INPUTS, inputNames, type InputName } from '../../src/settings/spec.js'
import { OUTPUTS } from '../../src/action/outputs.js'

interface ActionMetadata {
  name: string
  description: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, { default?: string; required?: boolean; description: string }>
  outputs: Record<string, { description: string }>
}

const metadata = parse(
  readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')
) as ActionMetadata
const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8')

/** The first two cells of every table row in a README section, by the first cell's name. */
function tableRows(heading: string): Map<string, string> {
  const start = readme.indexOf(`\n## ${heading}\n`)
  const end = readme.indexOf('\n## ', start + 1)
  const rows = new Map<string, string>()
  for (const line of readme.slice(start, end).split('\n')) {
    const cells = /^\| `([a-z-]+)` +\| ([^|]*?) +\|/.exec(line)
    if (cells) rows.set(cells[1], cells[2])
  }
  return rows
}

/** How the README writes a default: `required`, `''`, or the value in backticks. */
function readmeDefault(input: { default?: string; required?: boolean }): string {
  if (input.required) return 'required'
  return input.default ? `\`${input.default}\`` : "`''`"
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

  it('are all in the README, each with its default', () => {
    const rows = tableRows('Inputs')
    expect([...rows.keys()].sort()).toEqual(Object.keys(metadata.inputs).sort())
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect({ name, default: rows.get(name) }).toEqual({ name, default: readmeDefault(input) })
    }
  })
})

describe('the outputs', () => {
  it('are the same in action.yml, in the code and in the README', () => {
    const documented = Object.keys(metadata.outputs).sort()
    expect([...OUTPUTS].sort()).toEqual(documented)
    expect([...tableRows('Outputs').keys()].sort()).toEqual(documented)
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
