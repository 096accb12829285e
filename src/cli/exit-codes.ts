// What the program's exit status means, for scripts. docs/cli.md's table says the same.

export const EXIT = {
  done: 0,
  /**
   * An asset failed, or echo3D could not be reached or refused the credentials; or prune did not
   * run, a tag having selected no entry.
   */
  failed: 1,
  /** A bad verb, flag, environment variable or configuration file: nothing was done. */
  usage: 2,
  /** `check` found files missing or stale. */
  stale: 3
  // A signal ends the program with 128 + its number (130 for Ctrl+C): see run-context.ts.
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
