// The command-line program as a process of its own: the bundle (dist/cli/index.js) where only a
// real process shows the behaviour: the Node version check before anything loads, Ctrl+C, a
// pseudo-terminal, a reader that stops early, and npx from a clone. Verbs, flags, messages and
// exit codes are tested in-process in __tests__/cli/program.test.ts.
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import { CHAIR } from '../../emulator/sample-collection.ts'
import { startEmulator } from '../../emulator/server.ts'
import { emulatorVariables, PROJECT_ROOT, runCli, scratchFolder } from '../../harness/runner.ts'
import { VERSION } from '../../src/cli/program.ts'
import { sharedEmulator } from '../support.ts'

// Conversions take long enough for the live row to be drawn.
const emulator = sharedEmulator({ conversionDelayMs: 1200 })

/** A git repository to start the program in. */
async function repository(): Promise<string> {
  const root = path.join(await scratchFolder('cli'), 'repo')
  await mkdir(root, { recursive: true })
  execFileSync('git', ['init', '-q', root])
  return root
}

const ANSI = '\u001b['

describe('the Node version check', () => {
  // The Node that package.json's `engines` names is the one the program checks for.
  it('stops an older Node before the program loads, and says which Node it needs', async () => {
    const { engines } = JSON.parse(
      await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')
    ) as { engines: { node: string } }
    const [major, minor] = /^>=(\d+)\.(\d+)\.0$/.exec(engines.node)!.slice(1).map(Number)
    const root = await repository()
    const older = path.join(await scratchFolder('node'), 'older-node.mjs')
    await writeFile(
      older,
      `Object.defineProperty(process.versions, 'node', { value: '${major}.${minor - 1}.0' })\n`
    )
    const result = await runCli(['list'], {
      cwd: root,
      env: {
        ...emulatorVariables(emulator()),
        NODE_OPTIONS: `--import=${pathToFileURL(older).href}`
      }
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `error: echo3d-assets needs Node.js ${major}.${minor} or newer; this is ${major}.${minor - 1}.0. Install a current LTS from https://nodejs.org (in a clone of this project, \`npm run -s cli --\` runs it on the project's own Node)\n`
    )
    expect(result.stdout).toBe('')
    expect(emulator().requests).toEqual([])
  })
})

describe('in a terminal', () => {
  it('shows live transfers and conversions, then a table of what changed, in colour', async () => {
    const root = await repository()
    const live = await runCli(['pull', '--entries', `${CHAIR}: glb, usdz`, '--convert-missing'], {
      cwd: root,
      env: emulatorVariables(emulator()),
      tty: true
    })
    expect(live.code).toBe(0)
    expect(live.stdout).toContain(`${ANSI}?25l`) // the cursor hidden while rows are redrawn
    expect(live.stdout).toMatch(/Chair\.usdz {2}converting on echo3D, waited \d/)
    expect(live.stdout).toContain(`${ANSI}1mFILE`)
    expect(live.stdout).toMatch(/FILE\s+FORMAT\s+SIZE\s+FROM\s+TIME/)
    expect(live.stdout).toMatch(/assets\/echo3d\/Chair\.usdz\s+usdz\s+[\d.]+ [KM]?i?B\s+conversion/)
  })

  it('honours NO_COLOR', async () => {
    const root = await repository()
    const result = await runCli(['list'], {
      cwd: root,
      env: { ...emulatorVariables(emulator()), NO_COLOR: '1' },
      tty: true
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/ID\s+NAME\s+TAGS/)
    expect(result.stdout).not.toContain(`${ANSI}1m`)
  })
})

describe('a reader that stops early', () => {
  it('ends the program quietly', async () => {
    const root = await repository()
    const result = await runCli(['list'], {
      cwd: root,
      env: emulatorVariables(emulator()),
      onSpawn: child => child.stdout?.destroy()
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
  })
})

describe('install-free', () => {
  it('runs from a clone through npx, as docs/cli.md shows', async () => {
    const cache = await scratchFolder('npm-cache')
    const bin = path.dirname(process.execPath)
    const version = execFileSync(
      'npm',
      ['exec', '--yes', `--package=${PROJECT_ROOT}`, '--', 'echo3d-assets', '--version'],
      {
        cwd: cache,
        encoding: 'utf8',
        env: {
          PATH: `${bin}${path.delimiter}${process.env.PATH}`,
          HOME: cache,
          npm_config_cache: cache
        }
      }
    )
    expect(version.trim()).toBe(VERSION)
  })
})

describe('Ctrl+C', () => {
  it('removes the partial file and exits 130', async () => {
    const big = await startEmulator({
      entries: [{ id: 'big-1', filename: 'Big.glb', derived: [], minBytes: 24 * 1024 * 1024 }]
    })
    try {
      big.bandwidth = 2 * 1024 * 1024
      const root = await repository()
      const destination = path.join(root, 'assets/echo3d')
      let child: ChildProcess | undefined
      const run = runCli(['pull', '--entries', 'big-1'], {
        cwd: root,
        env: emulatorVariables(big),
        onSpawn: spawned => (child = spawned)
      })
      expect(await partialAppears(destination)).toBe(true)
      child?.kill('SIGINT')
      const result = await run
      expect(result.code).toBe(130)
      expect(result.stderr).toContain('Interrupted (SIGINT); the files being written were removed')
      expect(await readdir(destination)).toEqual([])
    } finally {
      await big.close()
    }
  })
})

async function partialAppears(folder: string): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const names = await readdir(folder).catch(() => [])
    if (names.some(name => name.endsWith('.echo3d-partial'))) return true
    await sleep(50)
  }
  return false
}
