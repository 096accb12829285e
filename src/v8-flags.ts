// Two V8 settings that keep a long run's memory down. The runner starts the action's `node`
// itself, so no flag can be passed on its command line; these two are read by V8 each time it
// uses them, and so take effect when set from inside, after start-up. Worker threads started
// later get them too. Design records 0007 and 0009 have the measurements.

import { setFlagsFromString } from 'node:v8'

/**
 * - The young generation stays at its starting size: V8 would grow it with the rate of
 *   allocation, up to 128 MB reserved (about 40 MB resident) in a run streaming thousands of files.
 * - No Maglev, V8's middle compiler: on a run of thousands of files, its compilations held some
 *   25 MB at their peak, across the three threads, and made the process no faster.
 */
export function useMemoryFlags(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
  setFlagsFromString('--no-maglev')
}
