// Attacks on the built action by those who can hand it hostile data: whoever can upload or rename
// a model in the echo3D collection, whoever can open a pull request (the workspace and the
// lockfile), and anything between the runner and echo3D. Each test tries the attack and shows that
// it fails safely.
import { describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunResult } from '../../harness/runner.ts'
import { LOCKFILE, log, pull, scratchFolder, sha256, sharedEmulator } from './support.ts'

const INJECTED = [
  '::error::injected',
  '::warning::injected',
  '::add-mask::injected',
  '::stop-commands::injected'
]

const emulator = sharedEmulator({
  entries: [
    {
      id: `evil\n${INJECTED[0]}-entry`,
      filename: `model.glb\n${INJECTED[1]}-extension`,
      originalStorageId: `storage\n${INJECTED[2]}-storage-id`,
      tags: ['hostile'],
      derived: []
    }
  ]
})

/** Lines of the log that start a workflow command an attacker wrote. */
function injectedCommands(result: RunResult): string[] {
  return log(result)
    .split(/\r?\n|\r/)
    .filter(line => INJECTED.some(command => line.startsWith(command)))
}

describe('workflow commands hidden in metadata and in the lockfile', () => {
  it('never start a line of the log: entry IDs, storage IDs and extensions from echo3D', async () => {
    const result = await pull(emulator(), { tags: 'hostile', formats: 'original' })
    expect(log(result)).toContain('injected')
    expect(injectedCommands(result)).toEqual([])
  })

  it('never start a line of the log: paths in a lockfile, as check and prune report them', async () => {
    const workspace = await scratchFolder('hostile-lockfile')
    const folder = path.join(workspace, 'assets/echo3d')
    await mkdir(folder, { recursive: true })
    const victim = `victim\n${INJECTED[3]}.glb`
    const bytes = Buffer.from('not selected any more')
    await writeFile(path.join(folder, victim), bytes)
    const record = {
      path: `assets/echo3d/${victim}`,
      entry: `e\n${INJECTED[0]}`,
      format: 'glb',
      storageId: 's1',
      bytes: bytes.length,
      sha256: sha256(bytes)
    }
    await writeFile(path.join(workspace, LOCKFILE), JSON.stringify({ version: 1, files: [record] }))

    const inputs = { tags: 'hostile', formats: 'original', prune: 'true' }
    const pruned = await pull(emulator(), inputs, { workspace })
    expect(log(pruned)).toMatch(/Pruned assets\/echo3d\/victim\\u\{a\}::stop-commands::/)
    expect(injectedCommands(pruned)).toEqual([])
  })
})
