import { restartWithMallocSettings } from './malloc-settings.js'
import { useMemoryFlags } from './v8-flags.js'

// Before the action's modules load, so that a process about to be replaced loads none of them.
restartWithMallocSettings()
useMemoryFlags()
const { run } = await import('./action/main.js')
await run()
