// glibc's malloc, which Node uses on Linux, keeps memory that threads freed: each of the process's
// threads (the main one, two workers, V8's and libuv's helpers) may get an arena of its own, and an
// arena gives memory back only from its top, once more than the trim threshold is free there;
// glibc raises that threshold as large blocks are freed, to 15 MB in a run of ours. One arena and
// a fixed threshold took some 20 MB off the peak of a cold pull of 5,000 models. glibc reads these
// settings from the environment only when a process starts, and the runner starts the action's
// `node` itself, so the action starts itself again, once, in place (same process ID, same standard
// streams), with the settings in its environment. Design record 0011 has the measurements.

import { accessSync, constants } from 'node:fs'

const TUNED_MARK = 'ECHO3D_ASSETS_MALLOC_SETTINGS'

/** One arena for all threads, and memory given back once 1 MiB is free at its top. */
const MALLOC_SETTINGS = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '1048576' }

/** Far below Linux's limit on a new program's arguments and environment (a quarter of the stack). */
const MAX_START_BYTES = 1024 * 1024

/**
 * Replaces this process with the same program under the malloc settings, unless it already runs
 * with them or cannot be replaced (Windows, macOS, a Node without `process.execve`). Settings the
 * user gave in the environment win over ours. Returns only when nothing was replaced.
 *
 * Node ends the process when the replacement itself fails, instead of throwing, so what can be
 * checked first is: that `node` can still be run, and that the arguments and environment fit.
 */
export function restartWithMallocSettings(): void {
  if (process.platform !== 'linux' || process.env[TUNED_MARK] !== undefined) return
  if (process.execve === undefined) return
  const env = { ...MALLOC_SETTINGS, ...process.env, [TUNED_MARK]: '1' }
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
  if (!canStart(argv, env)) return
  try {
    process.execve(process.execPath, argv, env)
  } catch {
    // Node refused the arguments before trying; running on with glibc's defaults costs memory only.
  }
}

function canStart(argv: string[], env: Record<string, string | undefined>): boolean {
  try {
    accessSync(process.execPath, constants.X_OK)
  } catch {
    return false
  }
  const entries = Object.entries(env).map(([name, value]) => `${name}=${value ?? ''}`)
  const bytes = [...argv, ...entries].reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0)
  return bytes < MAX_START_BYTES
}
