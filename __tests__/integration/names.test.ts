import { describe, expect, it } from '@jest/globals'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { listAssets, pull, sharedEmulator } from '../support.ts'

const emulator = sharedEmulator({
  entries: [
    {
      id: 'climber',
      filename: '../../../../escape.obj',
      textures: ['../../../../tex.png'],
      material: '/etc/evil.mtl'
    },
    { id: 'absolute', filename: '/etc/passwd.glb', derived: [] },
    { id: 'weird', filename: 'con.fbx', derived: ['glb'] },
    { id: 'unicode', filename: 'Lámpara 台灯 <v2>.glb', derived: [] }
  ]
})

describe('untrusted names from echo3D', () => {
  it('are neutralised: nothing is written outside path', async () => {
    const result = await pull(emulator(), {
      entries: 'climber: original\nabsolute\nweird: glb\nunicode',
      'file-name': '{name}.{ext}'
    })
    expect(result.code).toBe(0)
    expect(await listAssets(result.workspace)).toEqual(
      [
        'assets/echo3d/escape.obj',
        'assets/echo3d/evil.mtl',
        'assets/echo3d/tex.png',
        'assets/echo3d/passwd.glb',
        'assets/echo3d/_con.glb',
        'assets/echo3d/Lámpara 台灯 _v2_.glb'
      ].sort()
    )
    const parent = path.dirname(result.workspace)
    expect((await readdir(parent)).sort()).toEqual([
      'output',
      'summary',
      'temp',
      'tool-cache',
      'workspace'
    ])
  })
})
