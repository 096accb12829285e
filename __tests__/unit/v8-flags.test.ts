// The memory flags are set from inside a process V8 has already started (src/v8-flags.ts). Separate
// processes check that they take, so that this test's own process keeps V8's defaults.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

const importFlags = `const { useMemoryFlags } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'v8-flags.ts'))})`

function runModule(script: string): { stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8'
  })
  expect(result.status).toBe(0)
  return { stdout: result.stdout, stderr: result.stderr }
}

const maglevScript = `
import { setFlagsFromString } from 'node:v8'
${importFlags}
setFlagsFromString('--allow-natives-syntax')
const maglev = () => new Function('return %IsMaglevEnabled()')()
const before = maglev()
useMemoryFlags()
console.log(JSON.stringify({ before, after: maglev() }))
`

// A WebAssembly function that sums 1..n in a loop, kept hot until V8 optimises it or 3 s pass.
function wasmScript(withFlags: boolean): string {
  return `
import { setFlagsFromString } from 'node:v8'
${importFlags}
setFlagsFromString('--allow-natives-syntax')
if (${withFlags}) useMemoryFlags()
const code = [1, 1, 0x7f, 2, 0x40, 3, 0x40, 0x20, 0, 0x45, 0x0d, 1, 0x20, 1, 0x20, 0, 0x6a, 0x21, 1,
  0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x0c, 0, 0x0b, 0x0b, 0x20, 1, 0x0b]
const section = (id, content) => [id, content.length, ...content]
const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]), ...section(3, [1, 0]),
  ...section(7, [1, 1, 0x66, 0, 0]), ...section(10, [1, code.length, ...code])])
const sum = (await WebAssembly.instantiate(bytes)).instance.exports.f
const isBaseline = new Function('f', 'return %IsLiftoffFunction(f)')
// V8 optimises in the background: keep the function hot for up to 3 s, or until it is optimised.
// A function not yet called has no code at all, so it is called before the first look.
const deadline = Date.now() + 3000
do {
  for (let i = 0; i < 2000; i++) sum(1000)
  await new Promise(resolve => setTimeout(resolve, 20))
} while (isBaseline(sum) && Date.now() < deadline)
console.log(JSON.stringify({ baseline: isBaseline(sum), sum: sum(10) }))
`
}

describe('useMemoryFlags', () => {
  it('turns Maglev off after start-up', () => {
    const { stdout } = runModule(maglevScript)
    expect(JSON.parse(stdout)).toEqual({ before: true, after: false })
  })

  it('keeps a hot WebAssembly function (undici parses HTTP in one) with the baseline compiler', () => {
    expect(JSON.parse(runModule(wasmScript(false)).stdout)).toEqual({ baseline: false, sum: 55 })
    expect(JSON.parse(runModule(wasmScript(true)).stdout)).toEqual({ baseline: true, sum: 55 })
  })

  it('sets only flags this V8 knows: an unknown one is reported on standard error', () => {
    const { stderr } = runModule(`${importFlags}\nuseMemoryFlags()`)
    expect(stderr).toBe('')
    const { stderr: unknown } = runModule(
      `import { setFlagsFromString } from 'node:v8'\nsetFlagsFromString('--no-such-flag')`
    )
    expect(unknown).toContain('unrecognized flag')
  })
})
