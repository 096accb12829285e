// The text of the action's `.meta` files, the GUID read from one, and what a Unity project's
// packages lack for the models that arrive. Pure.
import { describe, expect, it } from '@jest/globals'
import { fileMetaText, guidFor, guidOf } from '../../src/engine/unity/meta-text.ts'
import { importWarnings } from '../../src/engine/unity/packages.ts'

describe('GUIDs', () => {
  it('are 32 lower-case hex digits from the path in the project, one per path', () => {
    const guid = guidFor('Assets/Models/chair.glb')
    expect(guid).toMatch(/^[0-9a-f]{32}$/)
    expect(guidFor('Assets/Models/chair.glb')).toBe(guid)
    expect(guidFor('Assets/Models/Chair.glb')).not.toBe(guid)
    // One Unicode form: a name typed on macOS (NFD) gives what Linux (NFC) gives.
    expect(guidFor('Assets/Cafe\u0301.glb')).toBe(guidFor('Assets/Caf\u00e9.glb'))
  })

  it('are read from a .meta as Unity writes it, any line ending, any case', () => {
    expect(guidOf(fileMetaText('0123456789abcdef0123456789abcdef'))).toBe(
      '0123456789abcdef0123456789abcdef'
    )
    expect(guidOf('fileFormatVersion: 2\r\nguid: 0123456789ABCDEF0123456789ABCDEF\r\n')).toBe(
      '0123456789abcdef0123456789abcdef'
    )
    expect(guidOf('fileFormatVersion: 2\nguid: not-a-guid\n')).toBeUndefined()
  })
})

describe('importWarnings', () => {
  const glb = (...extensions: string[]) => ({ format: 'glb', model: { extensions } })

  it('names each package the models need that the manifest lacks', () => {
    const files = [glb('KHR_draco_mesh_compression'), glb('KHR_texture_basisu'), { format: 'usdz' }]
    expect(importWarnings(new Set(['org.khronos.unitygltf']), files)).toEqual([
      "1 model uses Draco-compressed geometry (KHR_draco_mesh_compression), and Packages/manifest.json names none of com.unity.cloud.draco, com.atteneder.draco: add com.unity.cloud.draco to the project's packages for Unity to decode it",
      "1 model uses KTX textures (KHR_texture_basisu), and Packages/manifest.json names none of com.unity.cloud.ktx, com.atteneder.ktx: add com.unity.cloud.ktx to the project's packages for Unity to decode it",
      'Unity does not import USDZ files (1 file): they serve iOS AR Quick Look. Leave usdz out of `formats`, or pull them outside Assets'
    ])
  })

  it('is quiet where the packages are there, old names included, or nothing arrived', () => {
    const packages = new Set([
      'com.atteneder.gltfast',
      'com.atteneder.draco',
      'com.unity.cloud.ktx'
    ])
    expect(
      importWarnings(packages, [glb('KHR_draco_mesh_compression', 'KHR_texture_basisu')])
    ).toEqual([])
    expect(importWarnings(undefined, [])).toEqual([])
  })
})
