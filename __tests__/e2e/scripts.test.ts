import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT } from '../../harness/runner.ts'

/** Runs one of the project's scripts as `npm run` does, with this Node, and collects its output. */
function runScript(
  file: string,
  stopWhen?: RegExp
): Promise<{ code: number | null; output: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, file)], { cwd: PROJECT_ROOT })
    let output = ''
    const collect = (chunk: Buffer): void => {
      output += chunk.toString()
      if (stopWhen?.test(output)) child.kill('SIGINT')
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('close', code => resolve({ code, output }))
  })
}

describe('npm run emulator', () => {
  it('npm run emulator serves the sample collection until stopped', async () => {
    const { output } = await runScript('emulator/cli.ts', /Press Ctrl\+C to stop/)
    expect(output).toMatch(
      /echo3D emulator: API http:\/\/127\.0\.0\.1:\d+, storage http:\/\/127\.0\.0\.1:\d+/
    )
    expect(output).toContain('5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11  Desk Lamp.obj')
  })
})
