// The command-line program's parts that need no server: where it looks for the repository and the
// credentials, and what `init` writes.
import { describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Writable } from 'node:stream'
import { PROJECT_ROOT, scratchFolder } from '../../harness/runner.ts'
import { credentialsFrom, findWorkspace, readVariables } from '../../src/cli/environment.ts'
import { main } from '../../src/cli/program.ts'
import { Terminal } from '../../src/cli/terminal.ts'
import { init } from '../../src/cli/verbs/init.ts'
import { VERSION } from '../../src/cli/program.ts'
import { Redactor } from '../../src/secrets.ts'
import { defaultOf } from '../../src/settings/spec.ts'

describe('the command-line program', () => {
  it('reports the version package.json has', async () => {
    const packageJson = JSON.parse(
      await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')
    ) as { version: string; bin: unknown }
    expect(VERSION).toBe(packageJson.version)
    expect(packageJson.bin).toEqual({ 'echo3d-assets': 'dist/cli/index.js' })
  })

  it('works in the git repository around the folder it starts in, else in that folder', async () => {
    const root = await scratchFolder('workspace')
    const inside = path.join(root, 'repo', 'src', 'deep')
    await mkdir(inside, { recursive: true })
    expect(findWorkspace(inside)).toBe(inside)
    await mkdir(path.join(root, 'repo', '.git'))
    expect(findWorkspace(inside)).toBe(path.join(root, 'repo'))
  })

  it('reads only the credentials from .env, never where to send them', async () => {
    const root = await scratchFolder('dotenv')
    await writeFile(
      path.join(root, '.env'),
      'ECHO3D_API_KEY=from-file\nECHO3D_API_URL=https://collector.example\nECHO3D_EMAIL=file@example.com\n'
    )
    const { variables, ignoredInDotEnv } = await readVariables(root, {
      ECHO3D_EMAIL: 'shell@example.com'
    })
    expect(variables('ECHO3D_API_KEY')).toBe('from-file')
    expect(variables('ECHO3D_EMAIL')).toBe('shell@example.com')
    expect(variables('ECHO3D_API_URL')).toBe('')
    expect(ignoredInDotEnv).toEqual(['ECHO3D_API_URL'])
    const shell = await readVariables(root, { ECHO3D_API_URL: 'http://127.0.0.1:9' })
    expect(shell.variables('ECHO3D_API_URL')).toBe('http://127.0.0.1:9')
  })

  it('takes the secret key as optional, and the other credentials as required', () => {
    const variables = new Map([
      ['ECHO3D_API_KEY', 'k'],
      ['ECHO3D_EMAIL', 'e'],
      ['ECHO3D_USER_KEY', 'u']
    ])
    expect(credentialsFrom(name => variables.get(name) ?? '', '/repo')).toEqual({
      apiKey: 'k',
      email: 'e',
      userKey: 'u',
      secretKey: ''
    })
    expect(() => credentialsFrom(() => '', '/repo')).toThrow(
      'ECHO3D_API_KEY, ECHO3D_EMAIL, ECHO3D_USER_KEY are not set'
    )
  })
})

describe('init', () => {
  /** A terminal that writes into a string, as a pipe would receive it. */
  function capturedTerminal(): { terminal: Terminal; output: () => string } {
    let text = ''
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString()
        done()
      }
    }) as unknown as NodeJS.WriteStream
    const options = { json: false, quiet: false, verbose: false, color: false }
    return { terminal: new Terminal(new Redactor([]), options, sink, sink), output: () => text }
  }

  it('starts echo3d.yml with the schema of the release the workflow uses, for editors', async () => {
    const workspace = await scratchFolder('init')
    const { terminal } = capturedTerminal()
    const flags = { tags: 'release', uses: 'acme/echo3d-assets-action@v1.1.0' }
    await init(flags, workspace, terminal)
    const config = await readFile(path.join(workspace, 'echo3d.yml'), 'utf8')
    expect(config.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/acme/echo3d-assets-action/v1.1.0/echo3d.schema.json'
    )
    const workflow = await readFile(
      path.join(workspace, '.github/workflows/echo3d-assets.yml'),
      'utf8'
    )
    expect(workflow).toContain('uses: acme/echo3d-assets-action@v1.1.0')
    expect(config).toContain('path: assets/echo3d')
  })

  it('puts the models into Assets in a Unity project, where they get their .meta files', async () => {
    const workspace = await scratchFolder('init-unity')
    await mkdir(path.join(workspace, 'ProjectSettings'))
    await writeFile(path.join(workspace, 'ProjectSettings', 'ProjectVersion.txt'), '')
    await init({ tags: 'release' }, workspace, capturedTerminal().terminal)
    const config = await readFile(path.join(workspace, 'echo3d.yml'), 'utf8')
    expect(config).toContain('path: Assets/Models/echo3D')
  })

  it('warns that Unity does not import USDZ when an entry asks for it into Assets', async () => {
    const workspace = await scratchFolder('init-unity-usdz')
    await mkdir(path.join(workspace, 'ProjectSettings'))
    await writeFile(path.join(workspace, 'ProjectSettings', 'ProjectVersion.txt'), '')
    const unity = capturedTerminal()
    await init({ entries: ['chair: glb, usdz'] }, workspace, unity.terminal)
    expect(unity.output()).toContain('Unity does not import USDZ files')
    const outside = capturedTerminal()
    await init(
      { tags: 'ar', formats: 'usdz', path: 'ios/models', force: true },
      workspace,
      outside.terminal
    )
    expect(outside.output()).not.toContain('USDZ')
    const ownFormats = capturedTerminal()
    const flags = { entries: ['chair: glb'], formats: 'usdz', force: true }
    await init(flags, workspace, ownFormats.terminal)
    expect(ownFormats.output()).not.toContain('USDZ')
  })
})

describe('the help', () => {
  /** What `main` writes to stdout, as a user reading --help sees it. */
  async function helpOf(verb: string): Promise<string> {
    let text = ''
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = (chunk: string) => {
      text += chunk
      return true
    }
    try {
      await main([verb, '--help'])
    } finally {
      process.stdout.write = write
    }
    return text.replace(/\s+/g, ' ')
  }

  it("gives each flag the default of the action's input it stands for", async () => {
    const help = await helpOf('pull')
    for (const input of [
      'formats',
      'path',
      'file-name',
      'lockfile',
      'concurrency',
      'timeout'
    ] as const) {
      expect(help).toContain(`(default: ${defaultOf(input)})`)
    }
    expect(help).toContain(`(default: ${defaultOf('conversion-concurrency')})`)
    expect(help).toContain(`else ${defaultOf('api-url')})`)
  })
})
