// The browser the previews are drawn in, as one process with a temporary folder of its own.
// Chromium writes its temporary files (shared memory, its singleton's socket) under TMPDIR and
// removes them as it closes; one that has to be killed (a hung page, a cancelled job) cannot. So
// they go into a folder made for this browser (on a runner, under its temporary folder, which the
// runner empties), removed when the browser has ended, or when our process ends first. Its profile
// goes there too: Puppeteer's own, in the system's temporary folder, outlived a killed browser
// whose children still wrote to it.

import { rmSync, type RmOptions } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { launch, type Browser } from 'puppeteer-core'

/**
 * Chromium does not start with a TMPDIR longer than this (measured on Linux): its singleton's
 * socket goes below it, and a Unix socket's path is short. Under a deeper temporary folder the
 * browser keeps the system's.
 */
const LONGEST_BROWSER_TMPDIR = 62

/** How long a browser may take to close before it is killed. */
const CLOSING_MS = 5000
/** How long a killed browser may take to end before its folder is removed regardless. */
const KILLED_EXIT_MS = 5000

const REMOVE_FOLDER: RmOptions = { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }

/**
 * The variables a browser needs to start, find fonts and draw, on Linux, macOS and Windows. Nothing
 * else of the step's environment reaches it: not the inputs (INPUT_API-KEY, the token), not the
 * runner's own tokens. Its processes parse models from outside, and as root run unsandboxed.
 */
const BROWSER_VARIABLES = new Set([
  ...['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ'],
  ...['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'FONTCONFIG_PATH', 'FONTCONFIG_FILE'],
  ...['TMPDIR', 'TMP', 'TEMP'],
  ...['SYSTEMROOT', 'WINDIR', 'SYSTEMDRIVE', 'COMSPEC', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA'],
  ...['PROGRAMFILES', 'PROGRAMFILES(X86)', 'PROGRAMDATA']
])

export class BrowserProcess {
  /**
   * A step cancelled while the browser runs exits at once: the browser and its folder go then.
   * Nothing may throw here: the process's other exit listeners would not run.
   */
  private readonly onProcessExit = (): void => {
    try {
      this.browser.process()?.kill('SIGKILL')
      if (this.folder) rmSync(this.folder, REMOVE_FOLDER)
    } catch {
      // A file the dying browser still held stays, for the machine to clear with its temporary files.
    }
  }

  private constructor(
    readonly browser: Browser,
    private readonly folder: string | undefined
  ) {
    process.once('exit', this.onProcessExit)
  }

  /**
   * Headless, software-rendered WebGL (SwiftShader) where there is no GPU, no network of its own;
   * its temporary folder is made in `temporaryRoot`.
   */
  static async launch(executablePath: string, temporaryRoot: string): Promise<BrowserProcess> {
    const folder = await browserFolder(temporaryRoot)
    try {
      return new BrowserProcess(await launchBrowser(executablePath, folder), folder)
    } catch (error) {
      if (folder) await removeFolder(folder)
      throw error
    }
  }

  get processId(): number | undefined {
    return this.browser.process()?.pid
  }

  /** Closed, or killed when it does not close within 5 s; then its temporary folder goes. */
  async close(): Promise<void> {
    const closed = this.browser.close().then(
      () => true,
      () => false
    )
    const timer = new Promise<boolean>(resolve =>
      setTimeout(() => resolve(false), CLOSING_MS).unref()
    )
    if (!(await Promise.race([closed, timer]))) await killed(this.browser.process())
    process.off('exit', this.onProcessExit)
    if (this.folder) await removeFolder(this.folder)
  }
}

/**
 * Never a failure of its own: a file a dying browser's child still holds stays, for the machine to
 * clear with its temporary files, and the step goes on.
 */
function removeFolder(folder: string): Promise<void> {
  return rm(folder, REMOVE_FOLDER).catch(() => undefined)
}

async function browserFolder(temporaryRoot: string): Promise<string | undefined> {
  const prefix = path.join(temporaryRoot, 'browser-')
  // mkdtemp adds six characters.
  if (Buffer.byteLength(prefix) + 6 > LONGEST_BROWSER_TMPDIR) return undefined
  return mkdtemp(prefix)
}

function launchBrowser(executablePath: string, folder: string | undefined): Promise<Browser> {
  const runsAsRoot = process.getuid?.() === 0
  return launch({
    executablePath,
    headless: true,
    pipe: true,
    env: browserEnvironment(process.env, folder),
    ...(folder ? { userDataDir: path.join(folder, 'profile') } : {}),
    args: [
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-first-run',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Chromium refuses its sandbox to root (containers); a runner's user keeps it.
      ...(runsAsRoot ? ['--no-sandbox'] : [])
    ]
  })
}

/** The allowed variables (names compared without case, as Windows does), and the browser's folder. */
export function browserEnvironment(
  environment: NodeJS.ProcessEnv,
  folder: string | undefined
): Record<string, string> {
  const allowed: Record<string, string> = {}
  for (const [name, value] of Object.entries(environment)) {
    const upper = name.toUpperCase()
    if (value !== undefined && (BROWSER_VARIABLES.has(upper) || upper.startsWith('LC_'))) {
      allowed[name] = value
    }
  }
  // TMPDIR on Linux and macOS, TMP and TEMP on Windows.
  return folder ? { ...allowed, TMPDIR: folder, TMP: folder, TEMP: folder } : allowed
}

/** Killed, and ended: a folder removed before then could be written to again. */
async function killed(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const ended = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGKILL')
  const timer = new Promise<void>(resolve => setTimeout(resolve, KILLED_EXIT_MS).unref())
  await Promise.race([ended, timer])
}
