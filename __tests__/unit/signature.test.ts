import { describe, expect, it } from '@jest/globals'
import { makeSample, type SampleFormat } from '../../emulator/samples.ts'
import type { AssetFormat, FileKind } from '../../src/formats.js'
import { SignatureCheck } from '../../src/engine/transfer/signature.js'
import { Redactor } from '../../src/secrets.js'

/** No credentials in these files' text: the quotes are as the server sent them. */
const NO_SECRETS = new Redactor([])

/** Feeds the bytes in pieces of one buffer that the next piece overwrites, as a file is read. */
function check(expect: AssetFormat | undefined, bytes: Buffer, chunkSize = 7): void {
  const signature = new SignatureCheck(expect, NO_SECRETS)
  const lent = Buffer.alloc(chunkSize)
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    const copied = bytes.copy(lent, 0, offset, offset + chunkSize)
    signature.update(lent.subarray(0, copied))
  }
  lent.fill('<')
  signature.finish()
}

const FORMATS: AssetFormat[] = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl']

describe('SignatureCheck', () => {
  it.each(FORMATS)('accepts a valid %s, small and large', format => {
    expect(() => check(format, makeSample(format as SampleFormat, 'Lamp'))).not.toThrow()
    expect(() =>
      check(format, makeSample(format as SampleFormat, 'Lamp', 300_000), 65_536)
    ).not.toThrow()
  })

  it.each(FORMATS)('rejects an error text served as %s', format => {
    expect(() => check(format, Buffer.from('Entry not found'))).toThrow(/instead of a .* file/)
  })

  it.each(FORMATS)('rejects an HTML page served as %s', format => {
    expect(() =>
      check(format, Buffer.from('<!DOCTYPE html><html><body>524: timeout</body></html>'))
    ).toThrow(/HTML page/)
  })

  it('rejects a GLB cut short or padded', () => {
    const glb = makeSample('glb', 'Lamp', 5000)
    expect(() => check('glb', glb.subarray(0, glb.length - 100))).toThrow(/header declares/)
    expect(() => check('glb', Buffer.concat([glb, Buffer.alloc(4)]))).toThrow(/header declares/)
  })

  it('rejects a binary STL of the wrong length and accepts ASCII STL', () => {
    const stl = makeSample('stl', 'Plan', 2000)
    expect(() => check('stl', stl.subarray(0, stl.length - 50))).toThrow(/STL/)
    expect(() =>
      check('stl', Buffer.from('solid plan\nfacet normal 0 0 1\nendfacet\nendsolid plan\n'))
    ).not.toThrow()
  })

  it('rejects JSON that is not glTF', () => {
    expect(() => check('gltf', Buffer.from('{"error":"Invalid request!"}'))).toThrow(/GLTF/)
  })

  it('rejects a text longer than its first 64 KiB without a line break, served as OBJ', () => {
    expect(() => check('obj', Buffer.alloc(70_000, 'B'), 65_536)).toThrow(/instead of a OBJ/)
  })

  it('accepts ASCII FBX', () => {
    expect(() =>
      check('fbx', Buffer.from('; FBX 7.4.0 project file\nFBXHeaderExtension:  {\n}\n'))
    ).not.toThrow()
  })

  it('rejects an empty body and short error texts for files of unknown type', () => {
    expect(() => check(undefined, Buffer.alloc(0))).toThrow(/empty body/)
    expect(() => check(undefined, Buffer.from('Error: not found'))).toThrow(/error text/)
    expect(() => check(undefined, makeSample('png', 'x'))).not.toThrow()
    expect(() => check(undefined, makeSample('mtl', 'Lamp'))).not.toThrow()
  })
})

describe('the signatures of an OBJ material and its textures', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
  const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])

  it.each<[FileKind, Buffer]>([
    ['png', png],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])],
    ['webp', webp],
    ['mtl', Buffer.from('# lamp\nnewmtl Lamp\nKd 0.8 0.8 0.8\nmap_Kd Lamp.png\n')]
  ])('accepts a real %s', (kind, bytes) => {
    const check = new SignatureCheck(kind, NO_SECRETS)
    check.update(bytes)
    expect(() => check.finish()).not.toThrow()
  })

  it.each<FileKind>(['png', 'jpeg', 'webp', 'ktx2', 'mtl'])(
    'refuses a script served as %s',
    kind => {
      const check = new SignatureCheck(kind, NO_SECRETS)
      check.update(Buffer.from('<script>fetch("https://evil.example")</script>\n'))
      expect(() => check.finish()).toThrow(/instead of a/)
    }
  )
})
