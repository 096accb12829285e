// The echo3D collection the emulator serves: its entries, the files each upload stored, and the
// storage IDs that link the two. IDs are derived from the entry and its upload count rather than
// drawn at random, so that a run is repeatable and a re-upload still gets IDs of its own.
import { createHash } from 'node:crypto'
import { makeSample, type SampleFormat } from './samples.ts'

export const MODEL_FORMATS = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl'] as const
export type ModelFormat = (typeof MODEL_FORMATS)[number]

export interface EntrySpec {
  id: string
  /** The upload's file name; its extension decides the original format. */
  filename: string
  tags?: string[]
  /** Derived formats that exist from the start. Default: glb and usdz, as echo3D makes them. */
  derived?: ModelFormat[]
  /** Formats a conversion can make; others are rejected with 400. Default: every model format. */
  convertible?: ModelFormat[]
  material?: string
  textures?: string[]
  /** Pads every file of the entry to at least this size. */
  minBytes?: number
  /** The original's storage ID, for metadata a hostile collection could send; derived otherwise. */
  originalStorageId?: string
  /** The upload's own bytes, one per upload (reupload takes the next): a model made by a test. */
  uploads?: Buffer[]
}

export interface StoredFile {
  bytes: Buffer
  contentType: string
}

export interface StoredEntry {
  spec: EntrySpec
  /** How often the entry was uploaded again. */
  generation: number
  originalId: string
  originalFormat?: ModelFormat
  derived: Map<ModelFormat, string>
  materialId?: string
  textureIds: string[]
}

const CONTENT_TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  gltf: 'model/gltf+json',
  usdz: 'model/vnd.usdz+zip',
  obj: 'text/plain',
  mtl: 'text/plain',
  png: 'image/png'
}

const SAMPLE_FORMATS: readonly string[] = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl', 'mtl', 'png']

export class Collection {
  private readonly entries = new Map<string, StoredEntry>()
  private readonly files = new Map<string, StoredFile>()

  constructor(specs: EntrySpec[]) {
    for (const spec of specs) this.add(spec)
  }

  entry(entryId: string): StoredEntry | undefined {
    return this.entries.get(entryId)
  }

  all(): StoredEntry[] {
    return [...this.entries.values()]
  }

  file(storageId: string): StoredFile | undefined {
    return this.files.get(storageId)
  }

  storageIdOf(entryId: string, format: ModelFormat | 'original'): string | undefined {
    const entry = this.entries.get(entryId)
    if (!entry) return undefined
    if (format === 'original' || format === entry.originalFormat) return entry.originalId
    return entry.derived.get(format)
  }

  /** Uploads the entry's file again, as a user would in the console: new storage IDs, new bytes. */
  reupload(entryId: string): void {
    const entry = this.entries.get(entryId)
    if (!entry) throw new Error(`no entry ${entryId}`)
    entry.generation++
    this.upload(entry)
  }

  /** Stores one more derived format of the entry, as a conversion does, and returns its ID. */
  addDerived(entry: StoredEntry, format: ModelFormat): string {
    const storageId = `${uuidFor(seed(entry, format))}.${format}`
    this.storeFile(storageId, format, sampleName(entry), entry.spec.minBytes)
    entry.derived.set(format, storageId)
    return storageId
  }

  private add(spec: EntrySpec): void {
    const extension = extensionOf(spec.filename)
    const entry: StoredEntry = {
      spec,
      generation: 0,
      originalId: '',
      originalFormat: isModelFormat(extension) ? extension : undefined,
      derived: new Map(),
      textureIds: []
    }
    this.upload(entry)
    this.entries.set(spec.id, entry)
  }

  private upload(entry: StoredEntry): void {
    const { spec } = entry
    entry.originalId = spec.originalStorageId ?? uuidFor(seed(entry, 'original'))
    entry.derived = new Map()
    const own = spec.uploads?.[Math.min(entry.generation, spec.uploads.length - 1)]
    this.storeFile(
      entry.originalId,
      extensionOf(spec.filename),
      sampleName(entry),
      spec.minBytes,
      own
    )
    for (const format of spec.derived ?? ['glb', 'usdz']) {
      if (format !== entry.originalFormat) this.addDerived(entry, format)
    }
    this.uploadCompanions(entry)
  }

  private uploadCompanions(entry: StoredEntry): void {
    const { spec } = entry
    if (spec.material) {
      entry.materialId = uuidFor(seed(entry, 'material'))
      this.storeFile(entry.materialId, 'mtl', baseName(spec.material))
    }
    entry.textureIds = (spec.textures ?? []).map((name, index) => {
      const id = uuidFor(seed(entry, `texture:${index}`))
      this.storeFile(id, 'png', name)
      return id
    })
  }

  // An upload of a format the samples cannot make still needs bytes: a PDF stands in for it.
  private storeFile(
    storageId: string,
    format: string,
    name: string,
    minBytes = 0,
    own?: Buffer
  ): void {
    const bytes =
      own ??
      (isSampleFormat(format)
        ? makeSample(format, name, minBytes)
        : Buffer.from(`%PDF-1.4\n% ${name}\n`))
    this.files.set(storageId, {
      bytes,
      contentType: CONTENT_TYPES[format] ?? 'application/octet-stream'
    })
  }
}

export function uuidFor(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName
  const dot = last.lastIndexOf('.')
  return dot > 0 ? last.slice(0, dot) : last
}

export function isModelFormat(value: string): value is ModelFormat {
  return (MODEL_FORMATS as readonly string[]).includes(value)
}

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : ''
}

function isSampleFormat(format: string): format is SampleFormat {
  return SAMPLE_FORMATS.includes(format)
}

// The upload count is part of every seed, so that a re-upload gets new IDs.
function seed(entry: StoredEntry, part: string): string {
  return `${entry.spec.id}:${entry.generation}:${part}`
}

// The name inside a sample file changes with each re-upload, so that its bytes change too.
function sampleName(entry: StoredEntry): string {
  const version = entry.generation > 0 ? ` v${entry.generation + 1}` : ''
  return `${baseName(entry.spec.filename)}${version}`
}
