// `npm run emulator`: serves the sample collection until stopped, for trying the action by hand.

import { sampleEntries } from './sample-collection.ts'
import { startEmulator } from './server.ts'

const emulator = await startEmulator({ entries: sampleEntries(), conversionDelayMs: 3000 })
console.log(`echo3D emulator: API ${emulator.apiUrl}, storage ${emulator.storageUrl}`)
console.log(
  `credentials: api-key=${emulator.credentials.apiKey} email=${emulator.credentials.email} user-key=${emulator.credentials.userKey}`
)
console.log('entries:')
for (const entry of sampleEntries())
  console.log(`  ${entry.id}  ${entry.filename}  tags: ${(entry.tags ?? []).join(',')}`)
console.log('Press Ctrl+C to stop.')
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)))
