// `npm run emulator`, as a developer uses it: started in one shell, its lines pasted into another,
// then the command-line program pointed at it by those lines alone.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { PROJECT_ROOT, runCli, scratchFolder } from '../../harness/runner.ts'

describe('npm run emulator', () => {
  it('serves the sample collection, and prints the lines that point the program at it', async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'emulator/cli.ts')], {
      cwd: PROJECT_ROOT
    })
    try {
      let output = ''
      await new Promise<void>(resolve => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes('Press Ctrl+C to stop')) resolve()
        })
      })
      expect(output).toContain('5d1e7c1a-0b7e-4a59-9a5e-2f1b8c9d0e11  Desk Lamp.obj')
      expect(output).toContain('npm run -s cli -- list')
      const pasted = Object.fromEntries(
        [...output.matchAll(/^ {2}export (ECHO3D_[A-Z_]+)=(\S+)$/gm)].map(match => [
          match[1],
          match[2]
        ])
      )
      expect(Object.keys(pasted).sort()).toEqual([
        'ECHO3D_API_KEY',
        'ECHO3D_API_URL',
        'ECHO3D_EMAIL',
        'ECHO3D_USER_KEY'
      ])
      const listed = await runCli(['list'], { cwd: await scratchFolder('pasted'), env: pasted })
      expect(listed.code).toBe(0)
      expect(listed.stdout).toMatch(/Desk Lamp\.obj\s+lighting, release/)
    } finally {
      child.kill('SIGINT')
    }
  })
})
