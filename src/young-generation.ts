// V8 sizes its young generation by the rate of allocation, up to 128 MB reserved (about 40 MB
// resident) in a run that streams thousands of files. The runner starts the action's `node` itself,
// so no --max-semi-space-size can be passed; the growth factor, which V8 reads each time it would
// grow that space, can be set from inside. Design record 0007 has the measurements.

import { setFlagsFromString } from 'node:v8'

/** Keeps the young generation at its starting size for the rest of the process. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}
