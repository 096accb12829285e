// Valid sample files of every format echo3D serves, made on the fly so that no binary fixture is
// committed. `minBytes` pads a file (inside its own structure, so it stays valid) for large-file tests.

import { crc32, deflateSync } from 'node:zlib'

export type SampleFormat = 'glb' | 'gltf' | 'usdz' | 'obj' | 'fbx' | 'stl' | 'mtl' | 'png'

const TRIANGLE = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])

export function makeSample(format: SampleFormat, name: string, minBytes = 0): Buffer {
  switch (format) {
    case 'glb':
      return makeGlb(name, minBytes)
    case 'gltf':
      return makeGltf(name, minBytes)
    case 'usdz':
      return makeUsdz(name, minBytes)
    case 'obj':
      return makeObj(name, minBytes)
    case 'fbx':
      return makeFbx(minBytes)
    case 'stl':
      return makeStl(name, minBytes)
    case 'mtl':
      return Buffer.from(
        `# ${name}\nnewmtl ${name}\nKd 0.8 0.8 0.8\nmap_Kd ${name}_BaseColor.png\n`
      )
    case 'png':
      return makePng()
  }
}

function gltfJson(name: string, binaryLength: number, uri?: string): Record<string, unknown> {
  return {
    asset: { version: '2.0', generator: 'echo3d-emulator' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] }
    ],
    bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: TRIANGLE.byteLength }],
    buffers: [uri ? { byteLength: binaryLength, uri } : { byteLength: binaryLength }]
  }
}

function padTo4(buffer: Buffer, fill: number): Buffer {
  const padding = (4 - (buffer.length % 4)) % 4
  return Buffer.concat([buffer, Buffer.alloc(padding, fill)])
}

function makeGlb(name: string, minBytes: number): Buffer {
  const binaryLength = Math.max(TRIANGLE.byteLength, Math.ceil((minBytes - 200) / 4) * 4)
  const binary = Buffer.alloc(binaryLength)
  Buffer.from(TRIANGLE.buffer).copy(binary)
  const json = padTo4(Buffer.from(JSON.stringify(gltfJson(name, binaryLength))), 0x20)
  const header = Buffer.alloc(12)
  const total = 12 + 8 + json.length + 8 + binary.length
  header.write('glTF', 0, 'latin1')
  header.writeUInt32LE(2, 4)
  header.writeUInt32LE(total, 8)
  return Buffer.concat([
    header,
    chunkHeader(json.length, 0x4e4f534a),
    json,
    chunkHeader(binary.length, 0x004e4942),
    binary
  ])
}

function chunkHeader(length: number, type: number): Buffer {
  const header = Buffer.alloc(8)
  header.writeUInt32LE(length, 0)
  header.writeUInt32LE(type, 4)
  return header
}

function makeGltf(name: string, minBytes: number): Buffer {
  const binaryLength = Math.max(TRIANGLE.byteLength, Math.ceil(((minBytes - 600) * 3) / 4 / 4) * 4)
  const binary = Buffer.alloc(binaryLength)
  Buffer.from(TRIANGLE.buffer).copy(binary)
  const uri = `data:application/octet-stream;base64,${binary.toString('base64')}`
  return Buffer.from(JSON.stringify(gltfJson(name, binaryLength, uri), null, 2))
}

function makeObj(name: string, minBytes: number): Buffer {
  const body = `# ${name}, made by the echo3D emulator\nmtllib ${name}.mtl\no ${name}\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl ${name}\nf 1 2 3\n`
  const padding = Math.max(0, minBytes - Buffer.byteLength(body))
  const comments = padding > 0 ? `${'#'.padEnd(79, ' ')}\n`.repeat(Math.ceil(padding / 80)) : ''
  return Buffer.from(body + comments)
}

function makeFbx(minBytes: number): Buffer {
  const header = Buffer.alloc(27)
  header.write('Kaydara FBX Binary  \0', 0, 'latin1')
  header.writeUInt8(0x1a, 21)
  header.writeUInt8(0x00, 22)
  header.writeUInt32LE(7400, 23)
  const nullRecord = Buffer.alloc(13)
  const footer = Buffer.alloc(Math.max(160, minBytes - header.length - nullRecord.length))
  return Buffer.concat([header, nullRecord, footer])
}

function makeStl(name: string, minBytes: number): Buffer {
  const triangles = Math.max(1, Math.ceil((minBytes - 84) / 50))
  const stl = Buffer.alloc(84 + 50 * triangles)
  stl.write(`binary STL ${name}`.slice(0, 80), 0, 'latin1')
  stl.writeUInt32LE(triangles, 80)
  for (let index = 0; index < triangles; index++) {
    const offset = 84 + 50 * index + 12
    TRIANGLE.forEach((value, component) => stl.writeFloatLE(value, offset + component * 4))
  }
  return stl
}

/** One chunk of a PNG: its length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

/** A real PNG of the size asked for, black: for models made by tests. */
export function makePng(width = 1, height = 1): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.writeUInt8(8, 8)
  header.writeUInt8(2, 9)
  const row = Buffer.alloc(1 + width * 3)
  const pixels = deflateSync(Buffer.concat(Array<Buffer>(height).fill(row)))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/** A USDZ is an uncompressed zip whose file data starts on 64-byte boundaries. */
function makeUsdz(name: string, minBytes: number): Buffer {
  const usda = `#usda 1.0\n(\n    defaultPrim = "Root"\n)\n\ndef Xform "Root" (\n    doc = "${name.replace(/"/g, "'")}"\n)\n{\n}\n`
  const padding = Math.max(0, minBytes - usda.length - 200)
  const data = Buffer.from(usda + (padding > 0 ? `#${' '.repeat(padding - 2)}\n` : ''))
  return makeUsdzArchive([{ name: 'model.usda', data }])
}

/** A USDZ of the files given: stored, each file's data on a 64-byte boundary, as USDZ requires. */
export function makeUsdzArchive(files: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const { name, data } of files) {
    const fileName = Buffer.from(name)
    const crc = crc32(data)
    const baseHeaderLength = offset + 30 + fileName.length
    const extraLength = ((64 - ((baseHeaderLength + 4) % 64)) % 64) + 4
    const extra = Buffer.alloc(extraLength)
    extra.writeUInt16LE(0x1986, 0)
    extra.writeUInt16LE(extraLength - 4, 2)

    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fileName.length, 26)
    local.writeUInt16LE(extra.length, 28)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fileName.length, 28)
    central.writeUInt32LE(offset, 42)

    const entry = Buffer.concat([local, fileName, extra, data])
    locals.push(entry)
    centrals.push(Buffer.concat([central, fileName]))
    offset += entry.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
