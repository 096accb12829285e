import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { InputErrors } from '../../src/errors.js'
import {
  parseApiUrl,
  parseDestination,
  parseEntries,
  parseFileNameTemplate,
  parseInputs
} from '../../src/settings/inputs.js'
import { parseDuration } from '../../src/settings/values.js'

// Resolved, so that the expectations hold with Windows paths too.
const WORKSPACE = path.resolve('/home/runner/work/app/app')

function reader(values: Record<string, string>) {
  const all: Record<string, string> = {
    'api-key': 'key',
    email: 'a@example.com',
    'user-key': 'user',
    entries: 'abc-123',
    ...values
  }
  return (name: string) => all[name] ?? ''
}

function inputErrors(values: Record<string, string>): string[] {
  try {
    parseInputs(reader(values), WORKSPACE)
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map(item => item.message)
    throw error
  }
  throw new Error('expected input errors')
}

describe('parseInputs', () => {
  it('applies the documented defaults', () => {
    const inputs = parseInputs(reader({}), WORKSPACE)
    expect(inputs.apiUrl.href).toBe('https://api.echo3d.com/')
    expect(inputs.selection.defaultFormats).toEqual(['glb'])
    expect(inputs.timeoutMs).toBe(20 * 60 * 1000)
    expect(inputs.retries).toBe(3)
    expect(inputs.concurrency).toBe(4)
    expect(inputs.destination).toBe(path.join(WORKSPACE, 'assets', 'echo3d'))
    expect(inputs.fileNameTemplate).toBe('{name}.{ext}')
    expect(inputs.cache).toBe(true)
    expect(inputs.convertMissing).toBe(false)
  })

  it('reports every bad input at once, each naming its input', () => {
    const messages = inputErrors({
      'api-key': '',
      formats: 'glb, blend',
      concurrency: '64',
      'conversion-concurrency': '65',
      timeout: 'soon'
    })
    expect(messages).toHaveLength(5)
    expect(messages[0]).toMatch(/^Input 'api-key': it is required/)
    expect(messages.join('\n')).toMatch(
      /'blend' is not a known format.*glb, gltf, usdz, obj, fbx, stl, original/
    )
    expect(messages.join('\n')).toMatch(/Input 'concurrency'.*1 to 32/)
    expect(messages.join('\n')).toMatch(/Input 'conversion-concurrency'.*1 to 64/)
    expect(messages.join('\n')).toMatch(/Input 'timeout'.*90s, 15m, 1h/)
  })

  it.each<[string, Record<string, string>, RegExp]>([
    ['a missing user-key', { 'user-key': '' }, /^Input 'user-key': it is required and empty/],
    [
      'an unknown format',
      { formats: 'blend' },
      /^Input 'formats': 'blend' is not a known format. Use one or more of: glb, gltf, usdz, obj, fbx, stl, original/
    ],
    [
      'an unknown format on an entry line',
      { entries: 'abc-123: gltf, max' },
      /^Input 'entries': 'max' is not a known format/
    ],
    [
      'a bad entry ID',
      { entries: 'not/an/id' },
      /^Input 'entries': 'not\/an\/id' is not an echo3D entry ID/
    ],
    [
      'a bad storage ID',
      { entries: '', files: '../../etc/passwd' },
      /^Input 'files': '..\/..\/etc\/passwd' is not a storage ID/
    ],
    [
      'a bad timeout',
      { timeout: '20 minutes' },
      /^Input 'timeout': '20 minutes' is not a duration/
    ],
    [
      'a size that is not one',
      { 'max-file-size': '2 gigs' },
      /^Input 'max-file-size': '2 gigs' is not a size\. Write it as 500MB, 2GiB or a plain number of bytes/
    ],
    [
      'a size below the smallest, in plain bytes',
      { 'max-file-size': '1000' },
      /^Input 'max-file-size': '1000' is less than 1 KiB, the smallest size it takes\. Write a size of at least 1 KiB/
    ],
    [
      'too many retries',
      { retries: '99' },
      /^Input 'retries': '99' is not a whole number from 0 to 10/
    ],
    [
      'too little concurrency',
      { concurrency: '0' },
      /^Input 'concurrency': '0' is not a whole number from 1 to 32/
    ],
    [
      'a path outside the workspace',
      { path: '../../outside' },
      /^Input 'path': '..\/..\/outside' is outside the workspace/
    ],
    [
      'an unknown placeholder',
      { 'file-name': '{title}.{ext}' },
      /^Input 'file-name': \{title\} is not a known placeholder/
    ],
    [
      'a bad boolean',
      { 'convert-missing': 'yes' },
      /^Input 'convert-missing': 'yes' is not a boolean. Use true or false/
    ],
    [
      'a plain-http API',
      { 'api-url': 'http://api.echo3d.com' },
      /^Input 'api-url': it uses http.*Use an https:\/\/ URL/
    ]
  ])('names the input and the fix for %s', (_name, values, message) => {
    expect(inputErrors(values)).toContainEqual(expect.stringMatching(message))
  })

  it('requires a selection', () => {
    expect(inputErrors({ entries: '' })).toEqual([expect.stringMatching(/entries.*tags.*files/)])
  })

  it('never echoes a credential in a message', () => {
    const messages = inputErrors({ 'api-url': 'https://user:hunter2@api.echo3d.com', retries: 'x' })
    expect(messages.join('\n')).not.toContain('hunter2')
  })
})

describe('parseEntries', () => {
  it('reads IDs with and without formats, comments and lists', () => {
    const entries = parseEntries(`
      # release models
      5d1e7c1a-0b7e: GLB, usdz
      0c71e96a, 11aa22bb 33cc
      5d1e7c1a-0b7e: original   # merged into the first line
    `)
    expect(entries).toEqual([
      { id: '5d1e7c1a-0b7e', formats: ['glb', 'usdz', 'original'] },
      { id: '0c71e96a', formats: [] },
      { id: '11aa22bb', formats: [] },
      { id: '33cc', formats: [] }
    ])
  })

  it('rejects an ID that is not one, quoted', () => {
    expect(() => parseEntries('ok-1\n../etc: glb')).toThrow(/'..\/etc' is not an echo3D entry ID/)
  })
})

describe('parseApiUrl', () => {
  it('allows https anywhere and http only on loopback', () => {
    expect(parseApiUrl('https://api.echo3d.co/').href).toBe('https://api.echo3d.co/')
    expect(parseApiUrl('http://127.0.0.1:8080').host).toBe('127.0.0.1:8080')
    expect(parseApiUrl('http://localhost:1').hostname).toBe('localhost')
    expect(() => parseApiUrl('http://api.echo3d.com')).toThrow(/clear text.*https/)
    expect(() => parseApiUrl('ftp://x')).toThrow(/api-url/)
    expect(() => parseApiUrl('not a url')).toThrow(/not a valid URL/)
    expect(() => parseApiUrl('https://api.echo3d.com/?key=1')).toThrow(/credentials, a query/)
  })
})

describe('a selection', () => {
  it('that is malformed is reported as what it is, not also as nothing selected', () => {
    expect(inputErrors({ entries: 'not/an/id' })).toEqual([
      expect.stringMatching(/^Input 'entries': 'not\/an\/id' is not an echo3D entry ID/)
    ])
    expect(inputErrors({ entries: '', files: 'bad!id' })).toEqual([
      expect.stringMatching(/^Input 'files': 'bad!id' is not a storage ID/)
    ])
  })

  it('that is empty is reported as nothing selected', () => {
    expect(inputErrors({ entries: '# only a comment' })).toEqual([
      expect.stringMatching(/^Input 'entries': nothing is selected/)
    ])
  })
})

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    ['1.5m', 90_000]
  ])('reads %s', (text, expected) => expect(parseDuration('timeout', text)).toBe(expected))

  it.each(['0', '0.5s', '-1s', '10d', '7h', 'abc'])('rejects %s', text => {
    expect(() => parseDuration('timeout', text)).toThrow(
      `Input 'timeout': '${text}' is not a duration from 1s to 6h`
    )
  })
})

describe('parseDestination', () => {
  it('keeps the destination inside the workspace', () => {
    const models = path.join(WORKSPACE, 'models')
    expect(parseDestination('models', WORKSPACE)).toBe(models)
    expect(parseDestination(models, WORKSPACE)).toBe(models)
    expect(() => parseDestination('../elsewhere', WORKSPACE)).toThrow(/outside the workspace/)
    expect(() => parseDestination('/etc', WORKSPACE)).toThrow(/outside the workspace/)
  })
})

describe('parseFileNameTemplate', () => {
  it('accepts known placeholders and relative folders', () => {
    expect(parseFileNameTemplate('{entry}/{name}.{ext}')).toBe('{entry}/{name}.{ext}')
  })

  it.each(['{id}.glb', '../{name}.{ext}', '/abs/{name}', 'a//b'])('rejects %s', template => {
    expect(() => parseFileNameTemplate(template)).toThrow(/Input 'file-name'/)
  })
})
