import { run } from './action/main.js'
import { keepYoungGenerationSmall } from './young-generation.js'

keepYoungGenerationSmall()
await run()
