// What a model may ask the preview's browser for: values without data, meshopt streams and texture
// pixels are read from its JSON and image headers, and a model that asks for too much is not drawn.
import { describe, expect, it } from '@jest/globals'
import {
  solidPng,
  textureBombGlb,
  texturedCubeGlb,
  zeroFilledGlb
} from '../../harness/optimizable.ts'
import { checkDrawable } from '../../src/previews/model-limits.ts'

describe('checkDrawable', () => {
  it('lets an ordinary model through', async () => {
    expect(() => checkDrawable(Buffer.from([]))).toThrow(/JSON/)
    const cube = await texturedCubeGlb(solidPng(8, [200, 20, 20]))
    expect(() => checkDrawable(cube)).not.toThrow()
  })

  it('refuses values without data that a few bytes of JSON ask for', () => {
    expect(() => checkDrawable(zeroFilledGlb(20_000_000))).toThrow(
      'it declares 60,000,000 values without data in the file, more than the 33,554,432 a preview decodes'
    )
  })

  it('refuses a texture whose header declares more pixels than a preview decodes', async () => {
    expect(() =>
      checkDrawable(Buffer.from('{"asset":{"version":"2.0"},"accessors":[{"count":-1}]}'))
    ).toThrow('an accessor or buffer view declares no valid count')
    const bomb = await textureBombGlb()
    expect(() => checkDrawable(bomb)).toThrow(
      'a texture declares 30000 × 30000 pixels, more than a preview decodes'
    )
  })

  it('refuses a model whose textures or buffers it would draw without', () => {
    const gltf = (json: object) =>
      Buffer.from(JSON.stringify({ asset: { version: '2.0' }, ...json }))
    expect(() => checkDrawable(gltf({ images: [{ uri: 'wood.png' }] }))).toThrow(
      'it names files beside it (buffers or textures), which a preview does not load'
    )
    expect(() => checkDrawable(gltf({ buffers: [{ uri: 'mesh.bin', byteLength: 4 }] }))).toThrow(
      'it names files beside it'
    )
    expect(() => checkDrawable(gltf({ extensionsUsed: ['KHR_texture_basisu'] }))).toThrow(
      'its KTX2 textures (KHR_texture_basisu) are not decoded by the preview'
    )
    const embedded = { images: [{ uri: 'data:image/png;base64,' }], buffers: [{ uri: 'data:,' }] }
    expect(() => checkDrawable(gltf(embedded))).not.toThrow()
  })
})
