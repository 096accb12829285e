// Runs the bundled action the way the GitHub runner does: `node dist/index.js` as a child process,
// inputs as INPUT_* variables with action.yml's defaults filled in, outputs and the job summary
// in files. `npm run coverage` points it at a bundle with source maps instead (ECHO3D_BUNDLE), and
// has each child write V8 coverage (ECHO3D_CHILD_COVERAGE).

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile, mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type { Emulator } from '../emulator/server.ts'

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const BUNDLE = process.env.ECHO3D_BUNDLE ?? path.join(PROJECT_ROOT, 'dist', 'index.js')

/** Folders made for runs and tests, removed by removeScratchFolders. */
const scratchFolders = new Set<string>()

/** A new empty folder under the system's temporary folder, removed with the others later. */
export async function scratchFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`))
  scratchFolders.add(folder)
  return folder
}

export async function removeScratchFolders(): Promise<void> {
  const folders = [...scratchFolders]
  scratchFolders.clear()
  await Promise.all(folders.map(folder => rm(folder, { recursive: true, force: true })))
}

export interface RunOptions {
  inputs: Record<string, string>
  /** Reuse folders across runs (a second run on the same runner); fresh ones otherwise. */
  workspace?: string
  toolCache?: string
  runnerTemp?: string
  debug?: boolean
  /** What `${{ github.token }}` stands for in action.yml's defaults. */
  githubToken?: string
  /** More runner variables (GITHUB_REPOSITORY, GITHUB_REF, GITHUB_API_URL, …). */
  env?: Record<string, string>
  /** Called with the child process as soon as it starts, for the benchmark's measurements. */
  onSpawn?: (child: ChildProcess) => void
  /** Receives each log line as it comes, for the demo. */
  onLine?: (line: string) => void
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  workspace: string
  toolCache: string
  runnerTemp: string
}

interface ActionMetadata {
  inputs: Record<string, { default?: string }>
}

/** The inputs that point the action at an emulator, with its credentials. */
export function emulatorInputs(emulator: Emulator): Record<string, string> {
  return {
    'api-key': emulator.credentials.apiKey,
    email: emulator.credentials.email,
    'user-key': emulator.credentials.userKey,
    'secret-key': emulator.credentials.secKey ?? '',
    'api-url': emulator.apiUrl
  }
}

/** The credentials of an echo3D (or emulator) as a shell exports them for the program. */
export function credentialVariables(credentials: Emulator['credentials']): Record<string, string> {
  return {
    ECHO3D_API_KEY: credentials.apiKey,
    ECHO3D_EMAIL: credentials.email,
    ECHO3D_USER_KEY: credentials.userKey,
    ...(credentials.secKey ? { ECHO3D_SECRET_KEY: credentials.secKey } : {})
  }
}

/** The variables that point the command-line program at an emulator, as its lines to paste do. */
export function emulatorVariables(emulator: Emulator): Record<string, string> {
  return { ...credentialVariables(emulator.credentials), ECHO3D_API_URL: emulator.apiUrl }
}

/** The defaults action.yml gives the inputs, which the runner passes for those a workflow leaves out. */
async function actionDefaults(): Promise<Record<string, string>> {
  const metadata = parse(
    await readFile(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')
  ) as ActionMetadata
  return Object.fromEntries(
    Object.entries(metadata.inputs).flatMap(([name, spec]) =>
      spec.default === undefined ? [] : [[name, spec.default]]
    )
  )
}

/** Where a step's files are: its workspace, the runner's folders, its outputs and summary. */
export interface StepFolders {
  workspace: string
  toolCache: string
  runnerTemp: string
  outputFile: string
  summaryFile: string
}

/** A step's folders, made, and its outputs and summary files, empty. */
export async function stepFolders(options: Partial<StepFolders> = {}): Promise<StepFolders> {
  const scratch = await scratchFolder('echo3d-run')
  const folders: StepFolders = {
    workspace: options.workspace ?? path.join(scratch, 'workspace'),
    toolCache: options.toolCache ?? path.join(scratch, 'tool-cache'),
    runnerTemp: options.runnerTemp ?? path.join(scratch, 'temp'),
    outputFile: options.outputFile ?? path.join(scratch, 'output'),
    summaryFile: options.summaryFile ?? path.join(scratch, 'summary')
  }
  const { workspace, toolCache, runnerTemp } = folders
  await Promise.all(
    [workspace, toolCache, runnerTemp].map(folder => mkdir(folder, { recursive: true }))
  )
  await Promise.all([writeFile(folders.outputFile, ''), writeFile(folders.summaryFile, '')])
  return folders
}

/**
 * The variables the runner gives an action's step: its inputs as INPUT_* with action.yml's
 * defaults filled in (`${{ github.token }}` standing for `githubToken`), its folders and files.
 */
export async function stepVariables(
  options: Pick<RunOptions, 'inputs' | 'debug' | 'githubToken' | 'env'>,
  folders: StepFolders
): Promise<Record<string, string>> {
  const defaults = await actionDefaults()
  for (const [name, value] of Object.entries(defaults)) {
    defaults[name] = value.replace('${{ github.token }}', options.githubToken ?? '')
  }
  const inputs = { ...defaults, ...options.inputs }
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: folders.workspace,
    GITHUB_OUTPUT: folders.outputFile,
    GITHUB_STEP_SUMMARY: folders.summaryFile,
    RUNNER_TEMP: folders.runnerTemp,
    RUNNER_TOOL_CACHE: folders.toolCache,
    ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    ...options.env,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value
      ])
    )
  }
}

/** What the step left: its outputs and job summary, beside its exit code and streams. */
export async function stepResult(
  run: Pick<RunResult, 'code' | 'stdout' | 'stderr'>,
  folders: StepFolders
): Promise<RunResult> {
  return {
    ...run,
    outputs: parseOutputs(await readFile(folders.outputFile, 'utf8')),
    summary: await readFile(folders.summaryFile, 'utf8'),
    workspace: folders.workspace,
    toolCache: folders.toolCache,
    runnerTemp: folders.runnerTemp
  }
}

export async function runAction(options: RunOptions): Promise<RunResult> {
  const folders = await stepFolders(options)
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...childEnvironment(),
    ...(await stepVariables(options, folders))
  }
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: folders.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  options.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  const lines = new LineSplitter(options.onLine)
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    lines.push(chunk.toString())
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    lines.push(chunk.toString())
  })
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  lines.flush()
  return stepResult({ code, stdout, stderr }, folders)
}

/** The temporary folder, and V8 coverage when `npm run coverage` asks for it. */
function childEnvironment(): NodeJS.ProcessEnv {
  const coverage = process.env.ECHO3D_CHILD_COVERAGE
  return {
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ...(coverage ? { NODE_V8_COVERAGE: coverage } : {})
  }
}

/** Reads the `name<<DELIMITER … DELIMITER` blocks that @actions/core writes. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3]
  return outputs
}

class LineSplitter {
  private pending = ''
  private readonly onLine?: (line: string) => void

  constructor(onLine?: (line: string) => void) {
    this.onLine = onLine
  }

  push(text: string): void {
    if (!this.onLine) return
    const parts = (this.pending + text).split('\n')
    this.pending = parts.pop() ?? ''
    parts.forEach(this.onLine)
  }

  flush(): void {
    if (this.pending) this.onLine?.(this.pending)
    this.pending = ''
  }
}

const CLI_BUNDLE =
  process.env.ECHO3D_CLI_BUNDLE ?? path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js')

export interface CliOptions {
  /** The folder the program starts in. */
  cwd: string
  env?: Record<string, string>
  /** Runs it under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
  tty?: boolean
  onSpawn?: (child: ChildProcess) => void
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * Runs the bundled command-line program as a user would, with only a shell's ordinary environment
 * plus `env`. Under a pseudo-terminal, stdout and stderr arrive together on stdout.
 */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...childEnvironment(),
    ...options.env
  }
  const command = [process.execPath, CLI_BUNDLE, ...args]
  const child = options.tty
    ? spawn('script', ['-qfec', command.map(shellQuoted).join(' '), '/dev/null'], {
        cwd: options.cwd,
        env: { ...env, TERM: 'xterm-256color' },
        stdio: ['pipe', 'pipe', 'pipe']
      })
    : spawn(command[0], command.slice(1), {
        cwd: options.cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe']
      })
  options.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  )
  return { code, signal, stdout, stderr }
}

function shellQuoted(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
