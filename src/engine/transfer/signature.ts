// Checks, while the bytes stream, that they are the format asked for. echo3D can serve an error
// text with status 200, so the status alone is never trusted. Memory stays bounded: only a copy
// of the first HEAD_BYTES is kept.

import { VerificationError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import type { Redactor } from '../../secrets.js'
import { KeptBytes } from '../kept-bytes.js'

/** How much of a file's start the checks read. */
const HEAD_BYTES = 64 * 1024
/** How much of a text served in place of a file a message quotes. */
const QUOTED_CHARACTERS = 200
const FBX_BINARY_MAGIC = Buffer.from('Kaydara FBX Binary  \0', 'latin1')
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff])
const KTX2_MAGIC = Buffer.from([
  0xab, 0x4b, 0x54, 0x58, 0x20, 0x32, 0x30, 0xbb, 0x0d, 0x0a, 0x1a, 0x0a
])
const GLTF_ASSET_KEY = '"asset"'
const OBJ_KEYWORDS = new Set(
  'v vt vn vp f l p o g s mtllib usemtl cstype deg curv curv2 surf parm trim hole scrv sp end bmat step mg lod call csh ctech stech bevel c_interp d_interp shadow_obj trace_obj'.split(
    ' '
  )
)
const MTL_KEYWORDS = new Set(
  'newmtl Ka Kd Ks Ke Ns Ni Nr d Tr Tf illum sharpness map_Ka map_Kd map_Ks map_Ke map_Ns map_d map_Bump map_bump bump disp decal refl norm Pr Pm Ps Pc Pcr aniso anisor map_Pr map_Pm map_Ps map_Pc'.split(
    ' '
  )
)
const ERROR_TEXT = /not found|invalid request|error|unauthori[sz]ed|forbidden|denied|exceeded/i

export class SignatureCheck {
  /** The file's first HEAD_BYTES, or fewer while fewer have come. */
  private readonly kept = new KeptBytes(HEAD_BYTES)
  private bytes = 0
  /** A GLB's length as its header declares it, once the header is in; null for no GLB header. */
  private declaredLength: number | null | undefined
  private sawGltfAssetKey = false
  private carry = ''

  /** `redactor` keeps the credentials out of the text a server sent, when a message quotes it. */
  constructor(
    private readonly expect: FileKind | undefined,
    private readonly redactor: Redactor
  ) {}

  /**
   * Throws a VerificationError as soon as the bytes cannot be the format: a GLB past its length.
   * The chunk is not kept: a file on disk is read into one buffer, piece after piece.
   */
  update(chunk: Buffer): void {
    this.bytes += chunk.length
    this.kept.add(chunk)
    if (this.expect === 'gltf' && !this.sawGltfAssetKey) this.scanForAssetKey(chunk)
    if (this.expect === 'glb') this.stopPastDeclaredLength()
  }

  /** A GLB's length as its header declares it, from its 12th byte on; undefined before, or for no GLB. */
  get declaredGlbLength(): number | undefined {
    return this.declaredLength ?? undefined
  }

  /** The file's first HEAD_BYTES (fewer for a shorter file). */
  private get head(): Buffer {
    return this.kept.bytes()
  }

  /** A GLB says how long it is: a body that runs past that is not the file, however long it goes. */
  private stopPastDeclaredLength(): void {
    if (this.declaredLength === undefined && this.kept.length >= 12) {
      const { head } = this
      this.declaredLength = head.toString('latin1', 0, 4) === 'glTF' ? head.readUInt32LE(8) : null
    }
    const declared = this.declaredLength
    if (typeof declared === 'number' && this.bytes > declared) {
      throw new VerificationError(`the body ran past the ${declared} bytes its GLB header declares`)
    }
  }

  /** Throws a VerificationError when the bytes are not the expected format. */
  finish(): void {
    const problem = this.problem()
    if (problem) throw new VerificationError(problem)
  }

  private scanForAssetKey(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1')
    this.sawGltfAssetKey = text.includes(GLTF_ASSET_KEY)
    this.carry = text.slice(-(GLTF_ASSET_KEY.length - 1))
  }

  private problem(): string | undefined {
    if (this.bytes === 0) return 'the server sent an empty body'
    if (looksLikeHtml(this.head))
      return `the server sent an HTML page instead of ${this.wanted()}: ${this.quote()}`
    const formatProblem = this.expect ? this.formatProblem(this.expect) : this.genericProblem()
    return formatProblem && `the server sent ${formatProblem} instead of ${this.wanted()}`
  }

  private wanted(): string {
    return this.expect ? `a ${this.expect.toUpperCase()} file` : 'the file'
  }

  private formatProblem(format: FileKind): string | undefined {
    switch (format) {
      case 'png':
        return startsWith(this.head, PNG_MAGIC) ? undefined : this.describeHead()
      case 'jpeg':
        return startsWith(this.head, JPEG_MAGIC) ? undefined : this.describeHead()
      case 'webp':
        return this.isWebp() ? undefined : this.describeHead()
      case 'ktx2':
        return startsWith(this.head, KTX2_MAGIC) ? undefined : this.describeHead()
      case 'mtl':
        return this.isTextOf(MTL_KEYWORDS) ? undefined : this.describeHead()
      case 'glb':
        return this.glbProblem()
      case 'usdz':
        return startsWith(this.head, ZIP_MAGIC) ? undefined : this.describeHead()
      case 'fbx':
        return this.isFbx() ? undefined : this.describeHead()
      case 'gltf':
        return firstNonSpace(this.head) === '{' && this.sawGltfAssetKey
          ? undefined
          : this.describeHead()
      case 'obj':
        return this.isTextOf(OBJ_KEYWORDS) ? undefined : this.describeHead()
      case 'stl':
        return this.isStl() ? undefined : this.describeHead()
    }
  }

  private glbProblem(): string | undefined {
    if (this.head.length < 12 || this.head.toString('latin1', 0, 4) !== 'glTF')
      return this.describeHead()
    const declared = this.head.readUInt32LE(8)
    if (declared !== this.bytes) {
      return `${this.bytes} bytes of a GLB whose header declares ${declared} (a cut or padded file)`
    }
    return undefined
  }

  private isWebp(): boolean {
    return (
      this.head.toString('latin1', 0, 4) === 'RIFF' &&
      this.head.toString('latin1', 8, 12) === 'WEBP'
    )
  }

  private isFbx(): boolean {
    if (startsWith(this.head, FBX_BINARY_MAGIC)) return true
    const text = this.head.toString('utf8')
    return (
      !text.includes('\0') &&
      (text.trimStart().startsWith('; FBX') || text.includes('FBXHeaderExtension'))
    )
  }

  /** Text whose every statement starts with one of the format's keywords. */
  private isTextOf(keywords: ReadonlySet<string>): boolean {
    const text = this.head.toString('utf8')
    if (text.includes('\0')) return false
    const lines = text.split(/\r?\n/)
    if (this.head.length < this.bytes) {
      // The last line goes on past the head; a head without one whole line holds no statement.
      if (lines.length === 1) return false
      lines.pop()
    }
    const statements = lines.map(line => line.trim()).filter(line => line && !line.startsWith('#'))
    return statements.every(line => keywords.has(line.split(/\s+/)[0]))
  }

  private isStl(): boolean {
    const text = this.head.toString('latin1')
    if (text.startsWith('solid') && /facet|endsolid/.test(text)) return !text.includes('\0')
    if (this.bytes < 84 || this.head.length < 84) return false
    return this.bytes === 84 + 50 * this.head.readUInt32LE(80)
  }

  private genericProblem(): string | undefined {
    const isShortText = this.bytes < 1024 && !this.head.includes(0)
    return isShortText && ERROR_TEXT.test(this.head.toString('utf8'))
      ? `an error text: ${this.quote()}`
      : undefined
  }

  private quote(): string {
    return `'${this.redactor.excerpt(this.head.toString('utf8'), QUOTED_CHARACTERS)}'`
  }

  private describeHead(): string {
    return this.head.includes(0) || !isPrintable(this.head)
      ? `${this.bytes} bytes without the expected signature`
      : `a text: ${this.quote()}`
  }
}

function startsWith(buffer: Buffer, prefix: Buffer): boolean {
  return buffer.length >= prefix.length && buffer.subarray(0, prefix.length).equals(prefix)
}

function firstNonSpace(buffer: Buffer): string {
  return buffer
    .toString('utf8', 0, 256)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0)
}

function looksLikeHtml(head: Buffer): boolean {
  return /^\s*(<!doctype html|<html)/i.test(head.toString('utf8', 0, 256))
}

/** Text allows tabs, line breaks and form feeds; other control bytes mean binary data. */
function isPrintable(head: Buffer): boolean {
  return head.subarray(0, 256).every(byte => byte >= 0x20 || (byte >= 0x09 && byte <= 0x0d))
}
