// A model whose nodes all draw one mesh of many primitives, as the runner runs the bundle: its
// statistics cost the size of its JSON, each mesh summed once and counted for each node that draws
// it, so the step reads 16,000,000 triangles from a 180 KiB file and goes on. The readers' limits
// and deadlines are tested in-process (__tests__/unit/gltf-stats.test.ts, __tests__/engine/).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/server.ts'
import { instancedEntry } from '../../harness/models.ts'
import { filesOutput, pull } from '../support.ts'

let emulator: Emulator
beforeAll(async () => {
  const instanced = instancedEntry()
  emulator = await startEmulator({ entries: [instanced] })
})
afterAll(() => emulator.close())

describe('an instanced scene of 4,000 nodes drawing one mesh of 4,000 primitives', () => {
  it('is pulled with its statistics counted per instance', async () => {
    const result = await pull(emulator, { entries: 'instanced', timeout: '30s' })
    expect(result.code).toBe(0)
    const [file] = filesOutput(result)
    expect(file.model).toEqual(expect.objectContaining({ meshes: 1, triangles: 16_000_000 }))
  })
})
