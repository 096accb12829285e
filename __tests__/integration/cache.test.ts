import { describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CHAIR, DESK_LAMP, ROBOT } from '../../emulator/sample-collection.ts'
import {
  filesOutput,
  listFiles,
  log,
  pull,
  readWorkspaceFile,
  sha256,
  sharedEmulator,
  transfers
} from '../support.ts'

const emulator = sharedEmulator()

describe('the tool cache', () => {
  it('serves a second run on the same runner without any file transfer', async () => {
    const inputs = { entries: `${DESK_LAMP}: glb, original\n${ROBOT}: usdz` }
    const first = await pull(emulator(), inputs)
    expect(first.code).toBe(0)
    expect(first.outputs['cache-hits']).toBe('0')
    const firstTransfers = transfers(emulator())
    expect(firstTransfers).toBe(5)

    emulator().requests.splice(0)
    const second = await pull(emulator(), inputs, { toolCache: first.toolCache })
    expect(second.code).toBe(0)
    expect(transfers(emulator())).toBe(0)
    expect(second.outputs['cache-hits']).toBe('5')
    const files = filesOutput(second)
    expect(files.every(file => file.source === 'cache')).toBe(true)
    expect(files.map(file => [file.path, file.sha256])).toEqual(
      filesOutput(first).map(file => [file.path, file.sha256])
    )
    for (const file of files)
      expect(sha256(await readWorkspaceFile(second, file.path))).toBe(file.sha256)
    expect(second.summary).toContain('<td>cache</td>')
  })

  it('caches a conversion under the storage ID echo3D gave it', async () => {
    const inputs = { entries: `${CHAIR}: gltf`, 'convert-missing': 'true' }
    const first = await pull(emulator(), inputs)
    expect(filesOutput(first)[0]).toEqual(
      expect.objectContaining({
        source: 'conversion',
        storageId: emulator().storageIdOf(CHAIR, 'gltf')
      })
    )

    emulator().requests.splice(0)
    const second = await pull(emulator(), inputs, { toolCache: first.toolCache })
    expect(transfers(emulator())).toBe(0)
    expect(filesOutput(second)[0].source).toBe('cache')
  })

  it('downloads again when a cached copy was tampered with', async () => {
    const first = await pull(emulator(), { entries: ROBOT })
    const cached = (await listFiles(first.toolCache)).find(file => file.endsWith('/asset'))!
    await writeFile(
      path.join(first.toolCache, cached),
      Buffer.alloc(filesOutput(first)[0].bytes, 1)
    )

    emulator().requests.splice(0)
    const second = await pull(emulator(), { entries: ROBOT }, { toolCache: first.toolCache })
    expect(second.code).toBe(0)
    expect(log(second)).toMatch(/cached copy of .* failed its check/)
    expect(filesOutput(second)[0].source).toBe('download')
    expect(filesOutput(second)[0].sha256).toBe(filesOutput(first)[0].sha256)
  })

  it('is skipped with cache: false', async () => {
    const first = await pull(emulator(), { entries: ROBOT })
    emulator().requests.splice(0)
    const second = await pull(
      emulator(),
      { entries: ROBOT, cache: 'false' },
      { toolCache: first.toolCache }
    )
    expect(transfers(emulator())).toBe(1)
    expect(second.outputs['cache-hits']).toBe('0')
  })
})
