// What the program's exit status means, for scripts. The README's table says the same.

export const EXIT = {
  done: 0,
  /** An asset failed, or echo3D could not be reached or refused the credentials. */
  failed: 1,
  /** A bad verb, flag, environment variable or configuration file: nothing was done. */
  usage: 2,
  /** `check` found files missing or stale. */
  stale: 3,
  /** Ctrl+C: 128 + SIGINT, as shells report it. */
  interrupted: 130
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
