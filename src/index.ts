import { run } from './action/main.js'
import { useMemoryFlags } from './v8-flags.js'

useMemoryFlags()
await run()
