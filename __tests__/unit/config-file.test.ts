import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { parseConfigFile } from '../../src/settings/config-file.js'
import type { ConfigValues } from '../../src/settings/config-values.js'
import { configValueCheck, parseInputs } from '../../src/settings/inputs.js'
import { yamlExamples } from './documentation.ts'

const WORKSPACE = path.resolve('/home/runner/work/app/app')
const ROOT = path.join(import.meta.dirname, '..', '..')

function read(text: string): ConfigValues {
  return parseConfigFile('echo3d.yml', text, configValueCheck(WORKSPACE))
}

function problems(text: string): string {
  try {
    read(text)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('no problem reported')
}

const FULL = `
entries:
  - abc-123
  - id: def-456
    formats: [glb, usdz]
    file-name: characters/{name}.{ext}
tags: [release, nightly]
files: [0c2d9e4f.glb]
formats: glb, obj
convert-missing: true
path: public/models
file-name: '{entry}/{name}.{ext}'
budgets:
  file-size: 20MB
  triangles: 100000
  bounding-box: 2.5
  usdz:
    file-size: 25MB
`

function inputs(values: Record<string, string>, config?: ConfigValues) {
  const all: Record<string, string> = {
    'api-key': 'key',
    email: 'a@example.com',
    'user-key': 'user',
    formats: 'glb',
    path: 'assets/echo3d',
    'file-name': '{name}.{ext}',
    'convert-missing': 'false',
    lockfile: '{path}/echo3d.lock.json',
    ...values
  }
  return parseInputs(name => all[name] ?? '', WORKSPACE, undefined, config)
}

describe('the configuration file', () => {
  it('reads every key into the texts of the inputs it stands for', () => {
    const values = read(FULL)
    expect(values.texts).toEqual({
      entries: 'abc-123\ndef-456: glb, usdz',
      tags: 'release, nightly',
      files: '0c2d9e4f.glb',
      formats: 'glb, obj',
      'convert-missing': 'true',
      path: 'public/models',
      'file-name': '{entry}/{name}.{ext}',
      budgets: 'file-size: 20MB\ntriangles: 100000\nbounding-box: 2.5\nusdz.file-size: 25MB'
    })
    expect(values.entryFileNames).toEqual(new Map([['def-456', 'characters/{name}.{ext}']]))
  })

  it('reports every problem at once, each with its line and column and the fix', () => {
    const message = problems(
      [
        'entries:',
        '  - bad!id',
        '  - id: ok-1',
        '    formats: [glbx]',
        'formts: glb',
        'path: ../outside',
        'file-name: /abs'
      ].join('\n')
    )
    expect(message).toContain("The configuration file echo3d.yml (input 'config') has 5 problems:")
    expect(message).toContain(
      "echo3d.yml:2:5: 'bad!id' is not an echo3D entry ID. Copy the entry ID"
    )
    expect(message).toContain(
      "echo3d.yml:4:14: formats: 'glbx' is not a known format. Use one or more of:"
    )
    expect(message).toContain(
      "echo3d.yml:5:1: 'formts' is not a known key. Did you mean 'formats'? Use one of: entries, tags"
    )
    expect(message).toContain("echo3d.yml:6:7: path: '../outside' is outside the workspace")
    expect(message).toContain("echo3d.yml:7:12: file-name: '/abs' is not a relative file name")
  })

  it('reports YAML syntax errors with their place', () => {
    expect(problems('formats: [glb]\ntags: [a\npath: x')).toMatch(
      /echo3d\.yml:3:1: .*Fix the YAML syntax/
    )
    expect(problems('tags: a\ntags: b')).toMatch(
      /echo3d\.yml:2:1: Map keys must be unique\. Fix the YAML syntax/
    )
    expect(problems('budgets:\n  glb:\n    triangles: 1\n    triangles: 2\n')).toMatch(
      /echo3d\.yml:4:5: Map keys must be unique\. Fix the YAML syntax/
    )
  })

  it('refuses shapes it does not know: a list at the top, an entry without id, a key of an entry', () => {
    expect(problems('- abc')).toContain('echo3d.yml:1:1: the file must be a mapping')
    expect(problems('entries:\n  - formats: [glb]')).toContain(
      'echo3d.yml:2:5: an entry needs an id'
    )
    expect(problems('entries:\n  - id: a1\n    path: x')).toContain(
      "echo3d.yml:3:5: 'path' is not a key of an entry. Use id, formats, file-name and optimize"
    )
    expect(problems('entries:\n  - id: a1\n    Format: [glb]')).toContain(
      "echo3d.yml:3:5: 'Format' is not a key of an entry. Did you mean 'formats'? Use id, formats"
    )
    expect(problems('unity: true')).toContain(
      "echo3d.yml:1:1: 'unity' is not a known key. Use one of:"
    )
    expect(problems('tags: {a: 1}')).toContain('echo3d.yml:1:7: tags must be a list of strings')
    expect(problems('path: [a]')).toContain('echo3d.yml:1:7: path must be a text')
  })

  it("says how to write the input's `ID: formats` shorthand in the file, and nothing else", () => {
    const message = problems('entries:\n  - 5d1e7c1a-0b7e: glb, usdzz\n')
    expect(message).toContain(
      "echo3d.yml:2:5: '5d1e7c1a-0b7e: glb, usdzz' is how the `entries` input gives an entry its formats; echo3d.yml does not take it. Write `- id: 5d1e7c1a-0b7e` and, below it, `formats: [glb, usdzz]`"
    )
    expect(message).toContain('has a problem:')
  })

  it('keeps each line of the error short, however long what it quotes', () => {
    const message = problems(`entries:\n  - 5d1e7c1a: "${'\\n'.repeat(100_000)}"\n`)
    const lines = message.split('\n')
    expect(lines[1]).toMatch(/^ {2}echo3d\.yml:2:5: '5d1e7c1a: /)
    expect(Math.max(...lines.map(line => line.length))).toBeLessThan(600)
  })

  it('never lets what it quotes start a line of the log', () => {
    const message = problems('"a\\n::warning::spoofed": 1\npath: "../\\n::error::spoofed"\n')
    for (const line of message.split('\n')) expect(line).not.toMatch(/^::/)
    expect(message).toContain('\\u{a}::warning::spoofed')
  })

  it('reads an ID as it is written, and refuses what YAML reads as a number or two lines', () => {
    expect(problems('entries:\n  - 0x1F')).toContain(
      "echo3d.yml:2:5: '31' is not an echo3D entry ID"
    )
    expect(problems('entries:\n  - id: "abc\\nxyz"\n    formats: [obj]')).toContain(
      'is not an echo3D entry ID'
    )
    expect(read("entries:\n  - '0123'").texts.entries).toBe('0123')
  })

  it('refuses a path into .git, or with a hidden character', () => {
    expect(problems('path: .git')).toContain(
      "path: '.git' has a folder name the action would not write"
    )
    expect(problems('path: "a/\\u0007b"')).toContain('has a folder name the action would not write')
  })

  it('stops at 50 problems, and at brackets nested deeper than a configuration needs', () => {
    const many = problems(`entries:\n${'  - bad!\n'.repeat(80)}`)
    expect(many).toContain('has 80 problems')
    expect(many).toContain('…and 30 more')
    expect(many.split('\n')).toHaveLength(52)
    expect(problems(`tags: ${'['.repeat(40)}`)).toContain('brackets nest 40 deep')
  })

  it('refuses an empty list of formats, a blank path, and a tag or format that would read as two', () => {
    expect(problems('entries:\n  - id: a1\n    formats: []')).toContain(
      'formats: no format is given'
    )
    expect(problems("path: ''")).toContain('path must be a text')
    expect(read('tags: [my, tag]').texts.tags).toBe('my, tag')
    expect(problems("tags: ['my, tag']")).toContain("tags: 'my, tag' holds a comma")
    expect(problems("formats: ['glb usdz']")).toContain("formats: 'glb usdz' holds a space")
    expect(problems('convert-missing: maybe')).toContain('convert-missing')
  })

  it('reports every problem of an entry at once', () => {
    const message = problems(
      'entries:\n  - id: a1\n    formats: [glb, gif]\n    file-name: ../../{name}.{ext}\n    optimize: maybe'
    )
    expect(message).toContain('has 3 problems')
    expect(message).toMatch(/echo3d.yml:3:.*'gif' is not a known format/)
    expect(message).toMatch(/echo3d.yml:4:.*file-name/)
    expect(message).toMatch(/echo3d.yml:5:.*optimize/)
  })

  it('is empty when the file is', () => {
    expect(read('# nothing yet\n').texts).toEqual({})
  })
})

describe('the configuration file with the inputs', () => {
  // echo3D keeps an entry's tags as one comma-separated text: a tag may hold spaces.
  it('reads a tag with a space as one tag, in the file and in the input', () => {
    const result = inputs({ tags: 'living room, hero\nnight shot' }, read('tags: [living room]'))
    expect(result.selection.tags).toEqual(['living room', 'hero', 'night shot', 'living room'])
  })

  it('adds its entries, tags and files to the inputs, and fills in what the workflow left at its default', () => {
    const result = inputs({ entries: 'xyz-789', tags: 'extra' }, read(FULL))
    expect(result.selection.entries.map(entry => entry.id)).toEqual([
      'xyz-789',
      'abc-123',
      'def-456'
    ])
    expect(result.selection.tags).toEqual(['extra', 'release', 'nightly'])
    expect(result.selection.files).toEqual(['0c2d9e4f.glb'])
    expect(result.selection.defaultFormats).toEqual(['glb', 'obj'])
    expect(result.convertMissing).toBe(true)
    expect(result.destination).toBe(path.join(WORKSPACE, 'public/models'))
    expect(result.lockfile).toBe(path.join(WORKSPACE, 'public/models/echo3d.lock.json'))
    expect(result.fileNameTemplate).toBe('{entry}/{name}.{ext}')
    expect(result.selection.entries.find(entry => entry.id === 'def-456')?.fileName).toBe(
      'characters/{name}.{ext}'
    )
  })

  it('yields to an input the workflow sets to something other than its default', () => {
    const result = inputs({ formats: 'usdz', path: 'web/models' }, read(FULL))
    expect(result.selection.defaultFormats).toEqual(['usdz'])
    expect(result.destination).toBe(path.join(WORKSPACE, 'web/models'))
  })

  it('selects on its own: no entries, tags or files input is needed', () => {
    expect(inputs({}, read('tags: [release]')).selection.tags).toEqual(['release'])
    expect(() => inputs({}, read('formats: [glb]'))).toThrow(/nothing is selected/)
  })
})

describe('echo3d.schema.json', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'echo3d.schema.json'), 'utf8')) as object
  const validate = new Ajv({ allErrors: true }).compile(schema)
  const examples = yamlExamples().filter(example => example.text.startsWith('# echo3d.yml\n'))

  it('has the examples of the docs to check', () => {
    expect(examples.length).toBeGreaterThan(0)
  })

  it.each(
    examples.map(({ page, text }, index): [string, number, string] => [page, index + 1, text])
  )(
    'accepts the echo3d.yml of %s (example %i), which the action reads without a problem',
    (_, __, text) => {
      expect(validate(parse(text))).toBe(true)
      expect(() => read(text)).not.toThrow()
    }
  )

  it('accepts what the action accepts and refuses what it refuses', () => {
    expect(validate(parse(FULL))).toBe(true)
    for (const bad of [
      'formts: glb',
      'entries:\n  - id: a1\n    path: x',
      'convert-missing: maybe',
      'budgets:\n  polygons: 5',
      'budgets:\n  usdz:\n    triangle: 5'
    ]) {
      expect(validate(parse(bad))).toBe(false)
      expect(() => read(bad)).toThrow()
    }
  })
})

describe('budgets in the configuration file', () => {
  it("reads limits and per-format limits as the input's lines", () => {
    expect(read(FULL).texts.budgets).toBe(
      'file-size: 20MB\ntriangles: 100000\nbounding-box: 2.5\nusdz.file-size: 25MB'
    )
  })

  it('reports every bad limit or value, each with its own line and column', () => {
    const text = problems(
      'budgets:\n  file-size: 1MB\n  triangles: lots\n  gltf:\n    sizes: 3\n  triangle: 10\n'
    )
    expect(text).toContain("echo3d.yml:3:3: budgets: 'lots' is not a whole number")
    expect(text).toContain("echo3d.yml:5:5: budgets: 'gltf.sizes: 3' is not a known limit")
    expect(text).toContain("echo3d.yml:6:3: budgets: 'triangle: 10' is not a known limit")
    expect(text).not.toContain('echo3d.yml:2:')
  })
})
