import { describe, expect, it } from '@jest/globals'
import { ROBOT } from '../../emulator/sample-collection.ts'
import { emulatorInputs, runAction } from '../../harness/runner.ts'
import { filesOutput, log, pull, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator()

describe('bad inputs fail before any network call', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['a missing user-key', { 'user-key': '' }, /Input 'user-key': it is required and empty/],
    [
      'no selection',
      { entries: '' },
      /Input 'entries': nothing is selected. Set at least one of `entries`, `tags` or `files`/
    ],
    [
      'an unknown format',
      { formats: 'blend' },
      /Input 'formats': 'blend' is not a known format. Use one or more of: glb, gltf, usdz, obj, fbx, stl, original/
    ],
    [
      'an unknown format on an entry line',
      { entries: `${ROBOT}: gltf, max` },
      /Input 'entries': 'max' is not a known format/
    ],
    [
      'a bad entry ID',
      { entries: 'not/an/id' },
      /Input 'entries': line 1: 'not\/an\/id' is not an echo3D entry ID/
    ],
    [
      'a bad storage ID',
      { entries: '', files: '../../etc/passwd' },
      /Input 'files': '..\/..\/etc\/passwd' is not a storage ID/
    ],
    ['a bad timeout', { timeout: '20 minutes' }, /Input 'timeout': '20 minutes' is not a duration/],
    [
      'too many retries',
      { retries: '99' },
      /Input 'retries': '99' is not a whole number from 0 to 10/
    ],
    [
      'too much concurrency',
      { concurrency: '0' },
      /Input 'concurrency': '0' is not a whole number from 1 to 32/
    ],
    [
      'a path outside the workspace',
      { path: '../../outside' },
      /Input 'path': '..\/..\/outside' is outside the workspace/
    ],
    [
      'an unknown placeholder',
      { 'file-name': '{title}.{ext}' },
      /Input 'file-name': \{title\} is not a known placeholder/
    ],
    [
      'a bad boolean',
      { 'convert-missing': 'yes' },
      /Input 'convert-missing': 'yes' is not a boolean. Use true or false/
    ],
    [
      'a plain-http API',
      { 'api-url': 'http://api.echo3d.com' },
      /Input 'api-url': it uses http.*Use an https:\/\/ URL/
    ]
  ])('%s', async (_name, inputs, message) => {
    const result = await pull(emulator(), { entries: ROBOT, ...inputs })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(message)
    expect(emulator().requests).toEqual([])
  })

  it('lists several bad inputs together', async () => {
    const result = await pull(emulator(), { entries: ROBOT, retries: 'x', concurrency: '99' })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(/Input 'retries'/)
    expect(log(result)).toMatch(/Input 'concurrency'/)
    expect(emulator().requests).toEqual([])
  })

  it('fails the second of two assets at one path, and says how to tell them apart', async () => {
    const result = await pull(emulator(), {
      entries: `${ROBOT}: glb, usdz`,
      'file-name': '{name}.model'
    })
    expect(result.code).toBe(1)
    expect(log(result)).toMatch(
      /entry .* \(usdz\): it would be written to 'Robot.model', where entry .* \(glb\) goes. Make the names unique/
    )
    expect(filesOutput(result).map(file => file.format)).toEqual(['glb'])
  })

  it('runs with only the required inputs and the defaults of action.yml', async () => {
    const { 'api-url': apiUrl, ...rest } = emulatorInputs(emulator())
    const result = await runAction({ inputs: { ...rest, 'api-url': apiUrl, entries: ROBOT } })
    expect(result.code).toBe(0)
    expect(result.outputs.count).toBe('1')
  })
})
