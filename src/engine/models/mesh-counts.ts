// Triangles and vertices of the mesh formats without a scene: STL (binary: its header says; ASCII:
// one `endfacet` per triangle) and OBJ (its `v` and `f` lines). Read in chunks, never whole.

import type { FileHandle } from 'node:fs/promises'
import type { ModelStats } from '../../model.js'

const CHUNK_BYTES = 1024 * 1024
/** An OBJ line longer than this is not a vertex or a face; only its start is looked at. */
const MAX_LINE_BYTES = 4096

export async function stlStats(file: FileHandle, size: number): Promise<ModelStats> {
  const header = Buffer.alloc(84)
  const { bytesRead } = await file.read(header, 0, 84, 0)
  const declared = bytesRead === 84 ? header.readUInt32LE(80) : -1
  // A binary STL is exactly its header, a count, and 50 bytes per triangle.
  const triangles = 84 + declared * 50 === size ? declared : await countAsciiFacets(file)
  return { triangles, vertices: triangles * 3 }
}

async function countAsciiFacets(file: FileHandle): Promise<number> {
  const token = 'endfacet'
  let count = 0
  let carry = ''
  for await (const chunk of chunks(file)) {
    const text = carry + chunk.toString('latin1')
    for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) {
      count++
    }
    carry = text.slice(-(token.length - 1))
  }
  return count
}

export async function objStats(file: FileHandle): Promise<ModelStats> {
  const counts = { vertices: 0, triangles: 0 }
  let line = ''
  for await (const chunk of chunks(file)) {
    const lines = (line + chunk.toString('latin1')).split('\n')
    line = lines.pop() ?? ''
    if (line.length > MAX_LINE_BYTES) line = line.slice(0, MAX_LINE_BYTES)
    for (const text of lines) countObjLine(text, counts)
  }
  countObjLine(line, counts)
  return { triangles: counts.triangles, vertices: counts.vertices }
}

/** `v x y z` is a vertex; `f a b c …` a polygon of n corners, drawn as n − 2 triangles. */
function countObjLine(line: string, counts: { vertices: number; triangles: number }): void {
  const start = line.trimStart()
  if (start.startsWith('v ') || start.startsWith('v\t')) counts.vertices++
  else if (start.startsWith('f ') || start.startsWith('f\t')) {
    const corners = start.slice(2, MAX_LINE_BYTES).trim().split(/\s+/).length
    counts.triangles += Math.max(0, corners - 2)
  }
}

async function* chunks(file: FileHandle): AsyncGenerator<Buffer> {
  const buffer = Buffer.alloc(CHUNK_BYTES)
  for (let position = 0; ;) {
    const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buffer.subarray(0, bytesRead)
  }
}
