// Whether a model's container holds together, checked on the pieces of the file as they are read
// for its hash, so that a file the lockfile vouches for costs no second read. A signature and a
// length are easy to forge in front of anything; a container that parses is the format's own.
// GLB: its header's length is the file's, its chunks are 4-byte aligned, the JSON chunk comes first
// and is a glTF 2 asset, a BIN chunk is there exactly when buffer 0 lives in it, and the chunks
// fill the file exactly. glTF: its JSON is a glTF 2 asset. The same check runs on a download, so a
// file a pull accepts is one a later run finds unchanged. JSON larger than MAX_JSON_BYTES is not
// kept or parsed, as for its statistics: only a GLB's layout is checked then. USDZ's zip directory
// is read in usdz.ts.

import { ModelError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import { formatBytes } from '../../quantities.js'
import { KeptBytes } from '../kept-bytes.js'

/** A glTF JSON larger than this is not parsed: not for statistics, not for its structure. */
export const MAX_JSON_BYTES = 32 * 1024 * 1024
export const GLB_MAGIC = 0x46546c67
export const JSON_CHUNK = 0x4e4f534a
export const BIN_CHUNK = 0x004e4942
const GLB_HEADER_BYTES = 12
const CHUNK_HEADER_BYTES = 8

/** A range of the file to collect, and what to do with it once it is all in. */
interface Wanted {
  at: number
  bytes: Buffer
  filled: number
  /** Returns the next range wanted, or none. */
  then: (bytes: Buffer) => Wanted | undefined
}

export interface ContainerCheck {
  /** Takes the file's next piece, lent: what is kept of it is copied. */
  update(piece: Buffer): void
  /** Throws a ModelError when the file, now read whole, is not a whole container of its format. */
  finish(): void
}

/** The check for a file of this kind; one that accepts anything for kinds without a JSON container. */
export function containerCheck(kind: FileKind | undefined): ContainerCheck {
  if (kind === 'glb') return new GlbLayout()
  if (kind === 'gltf') return new GltfText()
  return { update: () => undefined, finish: () => undefined }
}

/** The GLB's header, then each chunk's header in turn; the JSON chunk's bytes are kept. */
class GlbLayout implements ContainerCheck {
  private seen = 0
  private declared = 0
  private problem: string | undefined
  private sawJson = false
  /**
   * What `buffers[0]` says the BIN chunk holds, when the JSON puts that buffer in the GLB;
   * `unread` when the JSON was too large to parse.
   */
  private binBufferBytes: number | 'unread' | undefined
  private sawBinChunk = false
  private wanted: Wanted | undefined = wanted(0, GLB_HEADER_BYTES, header => this.onHeader(header))

  update(piece: Buffer): void {
    const start = this.seen
    this.seen += piece.length
    while (this.wanted && !this.problem) {
      const range = this.wanted
      const from = range.at + range.filled
      const count = Math.min(range.bytes.length - range.filled, this.seen - from)
      if (count < 0 || (count === 0 && range.filled < range.bytes.length)) return
      piece.copy(range.bytes, range.filled, from - start, from - start + count)
      range.filled += count
      if (range.filled < range.bytes.length) return
      this.wanted = range.then(range.bytes)
    }
  }

  finish(): void {
    const problem = this.problem ?? this.endProblem()
    if (problem) throw new ModelError(`it is not a whole GLB: ${problem}`)
  }

  private endProblem(): string | undefined {
    if (this.seen < GLB_HEADER_BYTES) return `it is ${this.seen} bytes, shorter than a GLB header`
    if (this.seen !== this.declared) {
      return `its header declares ${this.declared} bytes, and it has ${this.seen}`
    }
    if (this.wanted?.at !== this.seen || this.wanted.filled > 0) {
      return 'its last chunk runs past the end of the file'
    }
    if (!this.sawJson) return 'it has no JSON chunk'
    if (typeof this.binBufferBytes === 'number' && !this.sawBinChunk) {
      return 'its JSON puts buffer 0 in a BIN chunk that it does not have'
    }
    return undefined
  }

  private fail(problem: string): undefined {
    this.problem = problem
    return undefined
  }

  private onHeader(header: Buffer): Wanted | undefined {
    if (header.readUInt32LE(0) !== GLB_MAGIC) return this.fail('it has no GLB header')
    if (header.readUInt32LE(4) !== 2) return this.fail('it is not a version 2 GLB')
    this.declared = header.readUInt32LE(8)
    return this.chunkAt(GLB_HEADER_BYTES)
  }

  private chunkAt(at: number): Wanted | undefined {
    if (at === this.declared) return wanted(at, CHUNK_HEADER_BYTES, () => this.pastEnd())
    return wanted(at, CHUNK_HEADER_BYTES, header => this.onChunk(at, header))
  }

  private pastEnd(): undefined {
    return this.fail(`it runs past the ${this.declared} bytes its header declares`)
  }

  private onChunk(at: number, header: Buffer): Wanted | undefined {
    const length = header.readUInt32LE(0)
    const body = at + CHUNK_HEADER_BYTES
    const isFirst = at === GLB_HEADER_BYTES
    if (length % 4 !== 0) return this.fail(`the chunk at byte ${at} is not 4-byte aligned`)
    if (body + length > this.declared) {
      return this.fail(`the chunk at byte ${at} runs past the ${this.declared} bytes declared`)
    }
    if (isFirst !== (header.readUInt32LE(4) === JSON_CHUNK)) {
      return this.fail('its first chunk, and only its first, must be its JSON chunk')
    }
    if (!isFirst) return this.binProblem(header, length) ?? this.chunkAt(body + length)
    if (length > MAX_JSON_BYTES) return this.onUnreadJson(body + length)
    return wanted(body, length, json => this.onJson(json, body + length))
  }

  private onJson(json: Buffer, next: number): Wanted | undefined {
    const parsed = parseGltfJson(json)
    if (typeof parsed === 'string') return this.fail(`its JSON chunk ${parsed}`)
    this.sawJson = true
    this.binBufferBytes = glbBufferBytes(parsed)
    return this.chunkAt(next)
  }

  private onUnreadJson(next: number): Wanted | undefined {
    this.sawJson = true
    this.binBufferBytes = 'unread'
    return this.chunkAt(next)
  }

  /**
   * The BIN chunk, which follows the JSON chunk, holds buffer 0. More padding than the 3 bytes
   * the specification allows is a warning to the glTF Validator, so it is not refused here.
   */
  private binProblem(header: Buffer, length: number): undefined | Wanted {
    if (header.readUInt32LE(4) !== BIN_CHUNK || this.sawBinChunk) return undefined
    this.sawBinChunk = true
    const declared = this.binBufferBytes
    if (declared === 'unread') return undefined
    if (declared === undefined)
      return this.fail('it has a BIN chunk that no buffer of its JSON uses')
    if (length < declared) {
      return this.fail(`its BIN chunk is ${length} bytes, and buffer 0 declares ${declared}`)
    }
    return undefined
  }
}

/** A `.gltf` is JSON through and through: its bytes are kept until it can be parsed. */
class GltfText implements ContainerCheck {
  private kept: KeptBytes | undefined = new KeptBytes(MAX_JSON_BYTES)
  private length = 0

  update(piece: Buffer): void {
    this.length += piece.length
    if (this.length <= MAX_JSON_BYTES) this.kept?.add(piece)
    else this.kept = undefined
  }

  finish(): void {
    if (!this.kept) return
    const problem = parseGltfJson(this.kept.bytes())
    if (typeof problem === 'string') throw new ModelError(`it is not a glTF JSON: ${problem}`)
  }
}

function wanted(at: number, length: number, then: Wanted['then']): Wanted {
  return { at, bytes: Buffer.alloc(length), filled: 0, then }
}

/** The glTF JSON as an object, or what is wrong with it: a glTF 2 asset says so in `asset.version`. */
function parseGltfJson(bytes: Buffer): Record<string, unknown> | string {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return `is not valid JSON (${formatBytes(bytes.length)})`
  }
  if (!isObject(value)) return 'is JSON, but not an object'
  const version = isObject(value.asset) ? value.asset.version : undefined
  if (typeof version !== 'string' || !/^2\.\d+$/.test(version)) {
    return 'is JSON, but not of a glTF 2 asset (no `asset.version` of 2.x)'
  }
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The bytes of buffer 0 when it has no URI, which puts it in the GLB's BIN chunk. */
function glbBufferBytes(json: Record<string, unknown>): number | undefined {
  const first: unknown = Array.isArray(json.buffers) ? json.buffers[0] : undefined
  if (!isObject(first) || first.uri !== undefined) return undefined
  return typeof first.byteLength === 'number' ? first.byteLength : 0
}
