// The memory flags are set from inside a process V8 has already started (src/v8-flags.ts). A
// separate process checks that they take, so that this test's own process keeps V8's defaults.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

const script = `
import { setFlagsFromString } from 'node:v8'
const { useMemoryFlags } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'v8-flags.ts'))})
setFlagsFromString('--allow-natives-syntax')
const maglev = () => new Function('return %IsMaglevEnabled()')()
const before = maglev()
useMemoryFlags()
console.log(JSON.stringify({ before, after: maglev() }))
`

describe('useMemoryFlags', () => {
  it('turns Maglev off after start-up', () => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script])
    expect(JSON.parse(output.toString())).toEqual({ before: true, after: false })
  })
})
