// glibc's malloc, which Node uses on Linux, keeps memory that threads freed: each of the process's
// threads (the main one, two workers, V8's and libuv's helpers) may get an arena of its own, and an
// arena gives memory back only from its top, once more than the trim threshold is free there;
// glibc raises that threshold as large blocks are freed, to 15 MB in a run of ours. One arena and
// a fixed threshold took some 20 MB off the peak of a cold pull of 5,000 models. glibc reads these
// settings from the environment only when a process starts, and the runner starts the action's
// `node` itself, so the action starts itself again, once, in place (same process ID, same standard
// streams), with the settings in its environment. Design record 0011 has the measurements.

const TUNED_MARK = 'ECHO3D_ASSETS_MALLOC_SETTINGS'

/** One arena for all threads, and memory given back once 1 MiB is free at its top. */
const MALLOC_SETTINGS = { MALLOC_ARENA_MAX: '1', MALLOC_TRIM_THRESHOLD_: '1048576' }

/**
 * Replaces this process with the same program under the malloc settings, unless it already runs
 * with them or cannot be replaced (Windows, macOS, a Node without `process.execve`). Settings the
 * user gave in the environment win over ours. Returns only when nothing was replaced.
 */
export function restartWithMallocSettings(): void {
  if (process.platform !== 'linux' || process.env[TUNED_MARK] !== undefined) return
  if (process.execve === undefined) return
  const env = { ...MALLOC_SETTINGS, ...process.env, [TUNED_MARK]: '1' }
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
  try {
    process.execve(process.execPath, argv, env)
  } catch {
    // Running on with glibc's defaults costs memory, not correctness.
  }
}
