// The adapters inside the test's own process: the action's run() with the environment the runner
// gives it, and the command-line program's main(argv) with the environment a shell gives it. What
// they write to stdout and stderr is captured, and the process is left as it was found: its
// environment, its exit code, its signal listeners and its trusted certificates. Much faster than
// a child process, so the many variations are tested here and the end-to-end tests keep the
// runner's contract.

import { jest } from '@jest/globals'
import path from 'node:path'
import tls from 'node:tls'
import type { Logger } from '../src/action/log.js'
import { run } from '../src/action/main.js'
import { main } from '../src/cli/program.js'
import {
  scratchFolder,
  stepFolders,
  stepResult,
  stepVariables,
  type RunOptions,
  type RunResult
} from './runner.ts'

/** The action's logger, keeping every line it is given, and the warnings apart as well. */
export interface RecordingLogger extends Logger {
  lines: string[]
  warnings: string[]
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = []
  const warnings: string[] = []
  return {
    lines,
    warnings,
    info: text => lines.push(text),
    debug: text => lines.push(text),
    warning: text => {
      warnings.push(text)
      lines.push(text)
    }
  }
}

/** Sets (or with undefined, removes) variables of process.env; returns what puts them back. */
export function setEnvironment(env: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(env).map(name => [name, process.env[name]]))
  const assign = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  assign(env)
  return () => assign(previous)
}

/**
 * What the tests' own environment must not lend the code under test: a CI run of the tests has
 * the runner's variables, a developer's shell may have a proxy, credentials or colour settings.
 */
const FOREIGN_VARIABLES =
  /^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|ECHO3D_)|^(https?_proxy|no_proxy|all_proxy|NO_COLOR|FORCE_COLOR)$/i

/**
 * Runs `work` without those variables and with `variables`, then puts the environment back. The
 * rest (PATH, HOME, TMPDIR…) stays, as the harness gives it to a child process too.
 */
export async function withEnvironment<T>(
  variables: Record<string, string>,
  work: () => Promise<T>
): Promise<T> {
  const foreign = Object.keys(process.env).filter(name => FOREIGN_VARIABLES.test(name))
  const restore = setEnvironment({
    ...Object.fromEntries(foreign.map(name => [name, undefined])),
    ...variables
  })
  try {
    return await work()
  } finally {
    restore()
  }
}

type Sink = (text: string) => void
const stdoutSinks = new Set<Sink>()
const stderrSinks = new Set<Sink>()
let restoreWrites = (): void => undefined

/**
 * Sends what the process writes to stdout and stderr to the sinks instead, while any capture is
 * on: @actions/core writes its workflow commands there, and the command-line program its output.
 * Captures may overlap, as runs that go on at once do.
 */
function captureOutput(stdout: Sink, stderr: Sink = stdout): () => void {
  if (stdoutSinks.size === 0) {
    const restoreStdout = divert(process.stdout, stdoutSinks)
    const restoreStderr = divert(process.stderr, stderrSinks)
    restoreWrites = () => {
      restoreStdout()
      restoreStderr()
    }
  }
  stdoutSinks.add(stdout)
  stderrSinks.add(stderr)
  return () => {
    stdoutSinks.delete(stdout)
    stderrSinks.delete(stderr)
    if (stdoutSinks.size === 0) restoreWrites()
  }
}

/** Replaces the stream's write with one that feeds the sinks; returns what puts it back. */
function divert(stream: NodeJS.WriteStream, sinks: Set<Sink>): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write')
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    for (const sink of sinks) sink(text)
    const callback = rest.find(argument => typeof argument === 'function')
    if (typeof callback === 'function') (callback as () => void)()
    return true
  }
  Object.defineProperty(stream, 'write', { value: write, configurable: true, writable: true })
  return () => {
    if (own) Object.defineProperty(stream, 'write', own)
    else Reflect.deleteProperty(stream, 'write')
  }
}

export interface Captured {
  stdout: string
  stderr: string
}

/** Runs `work` with what it writes to stdout and stderr kept in strings instead. */
export async function capturing<T>(work: () => Promise<T>): Promise<Captured & { result: T }> {
  const captured: Captured = { stdout: '', stderr: '' }
  const stop = captureOutput(
    text => (captured.stdout += text),
    text => (captured.stderr += text)
  )
  try {
    const result = await work()
    return { ...captured, result }
  } finally {
    stop()
  }
}

/** Runs `work` with what it writes to stdout and stderr dropped (an adapter's debug lines). */
export async function withoutOutput<T>(work: () => Promise<T>): Promise<T> {
  return (await capturing(work)).result
}

/**
 * Trusts a test certificate in this process, as NODE_EXTRA_CA_CERTS does in a child: every TLS
 * client that gives no CA of its own (undici, Octokit) takes the default ones. Returns what puts
 * the defaults back.
 */
export function trustCertificate(certificate: string): () => void {
  const defaults = tls.getCACertificates('default')
  tls.setDefaultCACertificates([...defaults, certificate])
  return () => tls.setDefaultCACertificates(defaults)
}

/**
 * @actions/core remembers the first job summary file it writes to, for the life of the module:
 * every run of a test file shares this one, emptied before each run.
 */
let summaryFile: string | undefined

/** The job summary file of this test file's in-process runs, emptied. */
export async function sharedSummaryFile(): Promise<string> {
  summaryFile ??= path.join(await scratchFolder('echo3d-summary'), 'summary')
  return summaryFile
}

/**
 * The action's run() as the runner starts it (harness/runner.ts gives the variables). The step's
 * exit code is what core.setFailed left in process.exitCode. A run must not end the process: on a
 * GitHub-hosted runner with the Actions cache it may (see RunnerCache.leavesWorkBehind); that
 * stays end-to-end.
 */
export async function runActionInProcess(
  options: Pick<RunOptions, 'inputs' | 'workspace' | 'debug' | 'githubToken' | 'env'>
): Promise<RunResult> {
  const folders = await stepFolders({ ...options, summaryFile: await sharedSummaryFile() })
  const variables = await stepVariables(options, folders)
  const listeners = signalListeners()
  const exitCode = process.exitCode
  const exit = jest.spyOn(process, 'exit').mockImplementation(code => {
    throw new Error(`the action called process.exit(${String(code)}) inside the tests' process`)
  })
  try {
    const captured = await withEnvironment(variables, () => capturing(run))
    return await stepResult({ code: Number(process.exitCode ?? 0), ...captured }, folders)
  } finally {
    exit.mockRestore()
    process.exitCode = exitCode
    removeListenersAddedSince(listeners)
  }
}

export interface CliRun extends Captured {
  code: number
}

/**
 * The program's main(argv) as a shell starts it, with only `env` for its variables (credentials,
 * ECHO3D_API_URL, a proxy, NO_COLOR…). It runs in the tests' folder: pass `-C folder` to start
 * elsewhere. Its stdout is no terminal, as when it is piped, even when the tests run in one.
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
