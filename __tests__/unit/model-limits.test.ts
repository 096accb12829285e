// What a model may ask the preview's browser for: values without data, meshopt streams and texture
// pixels are read from its JSON and image headers, and a model that asks for too much is not drawn.
import { describe, expect, it } from '@jest/globals'
import {
  patternPng,
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

  // The loader takes the last JSON chunk: a harmless first one must not hide a second.
  it('reads a GLB only as one JSON chunk and at most one binary chunk, of the length it gives', () => {
    const harmless = zeroFilledGlb(3)
    const hidden = zeroFilledGlb(20_000_000).subarray(12)
    const twoJson = Buffer.concat([harmless, hidden])
    twoJson.writeUInt32LE(twoJson.length, 8)
    expect(() => checkDrawable(twoJson)).toThrow(
      'its GLB holds other chunks than one JSON and one binary chunk'
    )
    const longer = Buffer.concat([harmless, Buffer.alloc(8)])
    expect(() => checkDrawable(longer)).toThrow(
      'its GLB header gives another length than the file has'
    )
    const cut = Buffer.from(harmless)
    cut.writeUInt32LE(cut.readUInt32LE(12) + 4, 12)
    expect(() => checkDrawable(cut)).toThrow('its GLB chunks run past the end of the file')
    expect(() => checkDrawable(harmless)).not.toThrow()
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
    const png = `data:image/png;base64,${solidPng(4, [0, 0, 0]).toString('base64')}`
    const embedded = { images: [{ uri: png }], buffers: [{ uri: 'data:,' }] }
    expect(() => checkDrawable(gltf(embedded))).not.toThrow()
  })

  // The browser decodes an image wherever its bytes are, and whatever lies before its size.
  it('reads every image where the loader finds it, and refuses one whose size cannot be read', () => {
    const gltf = (json: object) =>
      Buffer.from(JSON.stringify({ asset: { version: '2.0' }, ...json }))
    const bomb = patternPng(16, [20_000, 20_000])
    const inView = (bytes: Buffer) => ({
      images: [{ bufferView: 0, mimeType: 'image/png' }],
      bufferViews: [{ buffer: 0, byteLength: bytes.length }],
      buffers: [{ uri: `data:application/octet-stream;base64,${bytes.toString('base64')}` }]
    })
    const tooMany = 'a texture declares 20000 × 20000 pixels, more than a preview decodes'
    expect(() => checkDrawable(gltf(inView(bomb)))).toThrow(tooMany)
    expect(() => checkDrawable(gltf(inView(jpegAfterMetadata(20_000, 20_000))))).toThrow(tooMany)
    expect(() => checkDrawable(gltf(inView(Buffer.from('not an image'))))).toThrow(
      'the size of image 0 cannot be read from its header'
    )
    // The loader takes the buffer view before the URI, and decodes a meshopt view's stream.
    const small = `data:image/png;base64,${solidPng(1, [0, 0, 0]).toString('base64')}`
    const both = inView(bomb)
    expect(() => checkDrawable(gltf({ ...both, images: [{ uri: small, bufferView: 0 }] }))).toThrow(
      tooMany
    )
    const meshopt = {
      EXT_meshopt_compression: { buffer: 0, byteLength: 4, count: 1, byteStride: 4 }
    }
    const compressed = { ...both, bufferViews: [{ ...both.bufferViews[0], extensions: meshopt }] }
    expect(() => checkDrawable(gltf(compressed))).toThrow(
      'an image lies in a meshopt-compressed buffer view'
    )
    // Base64 only, strictly: another encoding the browser would decode its own way.
    expect(() => checkDrawable(gltf({ images: [{ uri: 'data:image/gif,GIF89a' }] }))).toThrow(
      'a data URI in it is not base64'
    )
    const upper = small.replace(';base64', ';BASE64')
    expect(() => checkDrawable(gltf({ images: [{ uri: upper }] }))).not.toThrow()
    const missing = { images: [{ bufferView: 3 }], bufferViews: [null, null, null, null] }
    expect(() => checkDrawable(gltf(missing))).toThrow(
      'an image names a buffer view that is not there'
    )
  })
})

/** A JPEG whose frame header, which gives its size, comes after 192 KiB of metadata segments. */
function jpegAfterMetadata(width: number, height: number): Buffer {
  const metadata = Array.from({ length: 3 }, () =>
    Buffer.concat([Buffer.from([0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(0xfffd)])
  )
  const frame = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    0,
    0,
    0,
    0,
    0x03,
    ...Array<number>(9).fill(1)
  ])
  frame.writeUInt16BE(height, 5)
  frame.writeUInt16BE(width, 7)
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...metadata, frame, Buffer.from([0xff, 0xd9])])
}
