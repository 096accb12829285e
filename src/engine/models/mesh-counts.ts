// Triangles and vertices of the mesh formats without a scene: STL (binary: its header says; ASCII:
// one `endfacet` per triangle) and OBJ (its `v` and `f` lines). Read in chunks, never whole, each
// chunk checked against the deadline.

import type { ModelStats } from '../../model.js'
import type { ByteSource } from './byte-source.js'
import type { Deadline } from './deadline.js'

const CHUNK_BYTES = 1024 * 1024
/** An OBJ line longer than this is not a vertex or a face; only its start is looked at. */
const MAX_LINE_BYTES = 4096

export async function stlStats(source: ByteSource, deadline: Deadline): Promise<ModelStats> {
  const header = await source.read(0, 84)
  const declared = header.length === 84 ? header.readUInt32LE(80) : -1
  // A binary STL is exactly its header, a count, and 50 bytes per triangle.
  const triangles =
    84 + declared * 50 === source.size ? declared : await countAsciiFacets(source, deadline)
  return { triangles, vertices: triangles * 3 }
}

async function countAsciiFacets(source: ByteSource, deadline: Deadline): Promise<number> {
  const token = 'endfacet'
  let count = 0
  let carry = ''
  for await (const chunk of chunks(source, deadline)) {
    const text = carry + chunk.toString('latin1')
    for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) {
      count++
    }
    carry = text.slice(-(token.length - 1))
  }
  return count
}

export async function objStats(source: ByteSource, deadline: Deadline): Promise<ModelStats> {
  const counts = { vertices: 0, triangles: 0 }
  let line = ''
  for await (const chunk of chunks(source, deadline)) {
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

async function* chunks(source: ByteSource, deadline: Deadline): AsyncGenerator<Buffer> {
  for (let position = 0; position < source.size;) {
    await deadline.pause()
    const chunk = await source.read(position, CHUNK_BYTES)
    if (chunk.length === 0) return
    position += chunk.length
    yield chunk
  }
}
