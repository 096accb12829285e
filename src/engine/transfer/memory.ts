// V8 frees the buffers that network chunks arrive in only after some 64 MB of them have piled up
// outside its heap, which alone would take peak memory past 150 MB on a large download. A minor
// collection after every 8 MiB streamed frees them early and costs well under a millisecond. The
// measurements behind the interval are in docs/decisions/0002-periodic-minor-gc.md. Since bodies
// no longer pass through streams (0010), a pull of 5,000 small files peaks the same without it;
// the large download it was measured on has not been measured again.
//
// The collector is reached the way the `expose-gc` package does it: enable the flag, then take
// `gc` from a fresh context. If that ever fails, streaming goes on without it.

import v8 from 'node:v8'
import vm from 'node:vm'

const RELEASE_EVERY_BYTES = 8 * 1024 * 1024

let streamedSinceRelease = 0
let minorCollection: (() => void) | undefined

export function noteStreamedBytes(bytes: number): void {
  streamedSinceRelease += bytes
  if (streamedSinceRelease < RELEASE_EVERY_BYTES) return
  streamedSinceRelease = 0
  minorCollection ??= loadMinorCollection()
  minorCollection()
}

/** The collector, or, when it cannot be had, nothing: the attempt is made once per process. */
function loadMinorCollection(): () => void {
  try {
    v8.setFlagsFromString('--expose-gc')
    const collect = vm.runInNewContext('gc') as (options: { type: 'minor' }) => void
    return () => collect({ type: 'minor' })
  } catch {
    return () => undefined
  }
}
