// The size a texture declares, read as the decoders read it, before anything is decoded: the
// optimiser refuses what is too large unread, so a header that one reader reads otherwise than
// another (a JPEG's fill bytes, a second frame header) must not slip past it.
import { describe, expect, it } from '@jest/globals'
import { declaredSize } from '../../src/engine/optimize/optimizer-worker.ts'

/** A JPEG's segments: SOI, then each marker with its payload, then EOI. */
function jpeg(...segments: Buffer[]): Uint8Array {
  return new Uint8Array(
    Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, Buffer.from([0xff, 0xd9])])
  )
}

function segment(marker: number, payload: Buffer, fill = 0): Buffer {
  const length = Buffer.alloc(2)
  length.writeUInt16BE(payload.length + 2)
  return Buffer.concat([Buffer.alloc(fill, 0xff), Buffer.from([0xff, marker]), length, payload])
}

function frame(width: number, height: number): Buffer {
  const payload = Buffer.from([8, 0, 0, 0, 0, 1, 1, 0x11, 0])
  payload.writeUInt16BE(height, 1)
  payload.writeUInt16BE(width, 3)
  return payload
}

const APP0 = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'))

describe('declaredSize', () => {
  it('reads a JPEG frame header, baseline or progressive, after fill bytes', () => {
    expect(declaredSize(jpeg(APP0, segment(0xc0, frame(640, 480))), 'image/jpeg', 0)).toEqual({
      width: 640,
      height: 480
    })
    const progressive = jpeg(APP0, segment(0xc2, frame(16384, 16384), 3))
    expect(declaredSize(progressive, 'image/jpeg', 0)).toEqual({ width: 16384, height: 16384 })
  })

  it('refuses a JPEG with two frame headers, or none before its scan', () => {
    const twice = jpeg(segment(0xc0, frame(16, 16)), segment(0xc1, frame(16384, 16384)))
    expect(() => declaredSize(twice, 'image/jpeg', 3)).toThrow(
      'texture 3 has no PNG or JPEG header that gives its size'
    )
    const scanFirst = jpeg(APP0, segment(0xda, Buffer.alloc(4)), segment(0xc0, frame(16, 16)))
    expect(() => declaredSize(scanFirst, 'image/jpeg', 3)).toThrow(/no PNG or JPEG header/)
  })

  it("reads a PNG's IHDR", () => {
    const png = Buffer.alloc(33)
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png)
    png.writeUInt32BE(13, 8)
    png.write('IHDR', 12, 'latin1')
    png.writeUInt32BE(30_000, 16)
    png.writeUInt32BE(20, 20)
    expect(declaredSize(new Uint8Array(png), 'image/png', 0)).toEqual({ width: 30_000, height: 20 })
  })
})
