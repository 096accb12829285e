// V8 settings that keep a long run's memory down. The runner starts the action's `node` itself,
// so no flag can be passed on its command line; V8 reads these each time it uses them, and so they
// take effect when set from inside, after start-up. Worker threads started later get them too.
// Design records 0007, 0009 and 0011 have the measurements.

import { setFlagsFromString } from 'node:v8'

/**
 * - The young generation stays at its starting size: V8 would grow it with the rate of
 *   allocation, up to 128 MB reserved (about 40 MB resident) in a run streaming thousands of files.
 * - No Maglev, V8's middle compiler: on a run of thousands of files, its compilations held some
 *   25 MB at their peak, across the three threads, and made the process no faster.
 * - undici's HTTP parser (WebAssembly) stays with V8's baseline compiler: optimising it took some
 *   24 MB for a moment, and the freed memory stayed with the process. Parsing is a small part of
 *   a download, as a body's bytes are passed over, not parsed one by one.
 * - A full collection once the heap has doubled since the last one. V8's own factor adapts to
 *   how fast its collections run; with it, on a cold pull of 5,000 models, more than 30 MB of
 *   dead buffers and records waited some five seconds for a full collection, and the peak was
 *   about 10 MB higher. Collecting after growth by half cost a tenth more time.
 */
export function useMemoryFlags(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
  setFlagsFromString('--no-maglev')
  setFlagsFromString('--no-wasm-tier-up')
  setFlagsFromString('--no-wasm-dynamic-tiering')
  setFlagsFromString('--heap-growing-percent=100')
}
