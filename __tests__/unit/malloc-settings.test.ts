// src/malloc-settings.ts replaces the process it runs in. Each case runs it in a process of its
// own and reports, from the program that runs last, its process ID and environment.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

const script = `
import { writeSync } from 'node:fs'
const { restartWithMallocSettings } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'malloc-settings.ts'))})
writeSync(1, 'start\\n')
restartWithMallocSettings()
const { MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_, CARRIED } = process.env
writeSync(1, JSON.stringify({ pid: process.pid, MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_, CARRIED, args: process.argv.slice(1) }) + '\\n')
`

function run(env: NodeJS.ProcessEnv): { pid: number | undefined; lines: string[] } {
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, '--', 'first', 'second'],
    { encoding: 'utf8', env: { ...process.env, CARRIED: 'kept', ...env } }
  )
  expect(result.status).toBe(0)
  expect(result.stderr).toBe('')
  return { pid: result.pid, lines: result.stdout.trim().split('\n') }
}

const onLinux = process.platform === 'linux' ? it : it.skip

describe('restartWithMallocSettings', () => {
  onLinux('starts the program again, once, in the same process, with the settings added', () => {
    const { pid, lines } = run({ ECHO3D_ASSETS_MALLOC_SETTINGS: undefined })
    expect(lines.slice(0, 2)).toEqual(['start', 'start'])
    expect(JSON.parse(lines[2])).toEqual({
      pid,
      MALLOC_ARENA_MAX: '1',
      MALLOC_TRIM_THRESHOLD_: '1048576',
      CARRIED: 'kept',
      args: ['first', 'second']
    })
  })

  onLinux('leaves settings the user gave as they are', () => {
    const { lines } = run({ ECHO3D_ASSETS_MALLOC_SETTINGS: undefined, MALLOC_ARENA_MAX: '4' })
    expect(JSON.parse(lines[2])).toMatchObject({ MALLOC_ARENA_MAX: '4' })
  })

  onLinux('runs on in place when the arguments and environment would come near the limit', () => {
    const large = Object.fromEntries(
      Array.from({ length: 9 }, (_, index) => [`LARGE_${index}`, 'x'.repeat(120 * 1024)])
    )
    const { lines } = run({ ...large, ECHO3D_ASSETS_MALLOC_SETTINGS: undefined })
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1])).not.toHaveProperty('MALLOC_ARENA_MAX')
  })

  it('runs on in place when the process already has them', () => {
    const { lines } = run({ ECHO3D_ASSETS_MALLOC_SETTINGS: '1', MALLOC_ARENA_MAX: undefined })
    expect(lines[0]).toBe('start')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1])).not.toHaveProperty('MALLOC_ARENA_MAX')
  })
})
