// `npm run emulator`: serves the sample collection until stopped, for trying the action or the
// command-line program by hand. It prints the lines that point the program at it.

import { sampleEntries } from './sample-collection.ts'
import { startEmulator } from './server.ts'

const emulator = await startEmulator({ entries: sampleEntries(), conversionDelayMs: 3000 })
const { apiKey, email, userKey } = emulator.credentials
console.log(`echo3D emulator: API ${emulator.apiUrl}, storage ${emulator.storageUrl}`)
console.log(`
To point echo3d-assets at it, paste these lines into another shell (ECHO3D_API_URL is read from
the shell only, never from a .env file):

  export ECHO3D_API_URL=${emulator.apiUrl}
  export ECHO3D_API_KEY=${apiKey}
  export ECHO3D_EMAIL=${email}
  export ECHO3D_USER_KEY=${userKey}

then, in this clone: npm run -s cli -- list   (the program on the project's Node 24)
`)
console.log('Entries:')
for (const entry of sampleEntries())
  console.log(`  ${entry.id}  ${entry.filename}  tags: ${(entry.tags ?? []).join(',')}`)
console.log('\nPress Ctrl+C to stop.')
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)))
