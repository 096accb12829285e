// The adapters inside the test's own process: the action's run() with the environment the runner
// gives it, and the command-line program's main(argv) with the environment a shell gives it. What
// they write to stdout and stderr is captured, and the process is left as it was found: its
// environment, its exit code and its signal listeners. Much faster than a child process, so the
// many variations are tested here and the end-to-end tests keep the runner's contract.

import { jest } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'
import { PROJECT_ROOT, scratchFolder, type RunResult } from '../harness/runner.ts'
import { run } from '../src/action/main.js'
import { main } from '../src/cli/program.js'

export interface Captured {
  stdout: string
  stderr: string
}

/** Runs `work` with process.stdout and process.stderr written to strings instead. */
export async function capturing<T>(work: () => Promise<T>): Promise<Captured & { result: T }> {
  const captured: Captured = { stdout: '', stderr: '' }
  const spies = (['stdout', 'stderr'] as const).map(name =>
    jest.spyOn(process[name], 'write').mockImplementation((chunk, ...rest: unknown[]) => {
      captured[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      const callback = rest.find(argument => typeof argument === 'function')
      if (callback) (callback as () => void)()
      return true
    })
  )
  try {
    const result = await work()
    return { ...captured, result }
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}

/**
 * What the tests' own environment must not lend the code under test: a CI run of the tests has
 * the runner's variables, a developer's shell may have a proxy, credentials or colour settings.
 */
const FOREIGN_VARIABLES =
  /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|ECHO3D_)|^(https?_proxy|no_proxy|all_proxy|NO_COLOR|FORCE_COLOR)$/i

/**
 * Runs `work` without those variables and with `variables`, then puts the environment back as it
 * was. The rest (PATH, HOME, TMPDIR…) stays, as the harness gives it to a child process too.
 */
export async function withEnvironment<T>(
  variables: Record<string, string>,
  work: () => Promise<T>
): Promise<T> {
  const saved = { ...process.env }
  for (const name of Object.keys(process.env)) {
    if (FOREIGN_VARIABLES.test(name)) delete process.env[name]
  }
  Object.assign(process.env, variables)
  try {
    return await work()
  } finally {
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) delete process.env[name]
    }
    Object.assign(process.env, saved)
  }
}

export interface InProcessRunOptions {
  inputs: Record<string, string>
  workspace?: string
  debug?: boolean
  /** What `${{ github.token }}` stands for in action.yml's defaults. */
  githubToken?: string
  env?: Record<string, string>
}

/**
 * @actions/core remembers the first job summary file it writes to, for the life of the module:
 * every run of a test file shares this one, emptied before each run.
 */
let summaryFile: string | undefined

/**
 * The action's run() as the runner starts it: its inputs as INPUT_* variables with action.yml's
 * defaults filled in, its outputs and job summary in files. The step's exit code is what
 * core.setFailed left in process.exitCode. A run must not end the process: on a GitHub-hosted
 * runner with the Actions cache it may (see RunnerCache.leavesWorkBehind); that stays end-to-end.
 */
export async function runActionInProcess(options: InProcessRunOptions): Promise<RunResult> {
  const scratch = await scratchFolder('echo3d-in-process')
  const workspace = options.workspace ?? path.join(scratch, 'workspace')
  const toolCache = path.join(scratch, 'tool-cache')
  const runnerTemp = path.join(scratch, 'temp')
  const outputFile = path.join(scratch, 'output')
  summaryFile ??= path.join(await scratchFolder('echo3d-summary'), 'summary')
  await Promise.all(
    [workspace, toolCache, runnerTemp].map(folder => mkdir(folder, { recursive: true }))
  )
  await Promise.all([writeFile(outputFile, ''), writeFile(summaryFile, '')])

  const defaults = await actionDefaults()
  const inputs: Record<string, string> = { ...defaults, ...options.inputs }
  for (const [name, value] of Object.entries(inputs)) {
    inputs[name] = value.replace('${{ github.token }}', options.githubToken ?? '')
  }
  const variables: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: toolCache,
    ...(options.debug ? { RUNNER_DEBUG: '1' } : {}),
    ...options.env,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value
      ])
    )
  }

  const listeners = signalListeners()
  const exitCode = process.exitCode
  const exit = jest.spyOn(process, 'exit').mockImplementation(code => {
    throw new Error(`the action called process.exit(${String(code)}) inside the tests' process`)
  })
  let code: number
  let captured: Captured
  try {
    captured = await withEnvironment(variables, () => capturing(run))
    code = Number(process.exitCode ?? 0)
  } finally {
    exit.mockRestore()
    process.exitCode = exitCode
    removeListenersAddedSince(listeners)
  }
  return {
    code,
    ...captured,
    outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    workspace,
    toolCache,
    runnerTemp
  }
}

export interface CliRun extends Captured {
  code: number
}

/**
 * The program's main(argv) as a shell starts it, with only `env` for its variables (credentials,
 * ECHO3D_API_URL, NO_COLOR…). It runs in the tests' folder: pass `-C folder` to start elsewhere.
 * Its stdout is no terminal, as when it is piped, even when the tests run in one.
 */
export async function runCliInProcess(
  args: readonly string[],
  env: Record<string, string> = {}
): Promise<CliRun> {
  const listeners = signalListeners()
  const isTTY = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY')
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true })
  try {
    const run = await withEnvironment(env, () => capturing(() => main(args)))
    return { code: run.result, stdout: run.stdout, stderr: run.stderr }
  } finally {
    if (isTTY) Object.defineProperty(process.stdout, 'isTTY', isTTY)
    else delete (process.stdout as { isTTY?: boolean }).isTTY
    removeListenersAddedSince(listeners)
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const

function signalListeners(): Map<string, Set<unknown>> {
  return new Map(SIGNALS.map(signal => [signal, new Set<unknown>(process.listeners(signal))]))
}

/** A run that registers for signals and ends without removing them must not leave them behind. */
function removeListenersAddedSince(before: Map<string, Set<unknown>>): void {
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener)
    }
  }
}

/** The defaults action.yml gives the inputs, which the runner passes for those a workflow leaves out. */
export async function actionDefaults(): Promise<Record<string, string>> {
  const metadata = parse(await readFile(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(metadata.inputs).flatMap(([name, spec]) =>
      spec.default === undefined ? [] : [[name, spec.default]]
    )
  )
}

/** Reads the `name<<DELIMITER … DELIMITER` blocks that @actions/core writes. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3]
  return outputs
}
