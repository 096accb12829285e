// The formats echo3D stores or converts to, and what the action knows about each.

export const CONVERTIBLE_FORMATS = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl'] as const
export type AssetFormat = (typeof CONVERTIBLE_FORMATS)[number]
/** `original` asks for the file as it was uploaded, whatever its format. */
export type RequestedFormat = AssetFormat | 'original'
export const KNOWN_FORMATS: readonly RequestedFormat[] = [...CONVERTIBLE_FORMATS, 'original']

export function isAssetFormat(value: string): value is AssetFormat {
  return (CONVERTIBLE_FORMATS as readonly string[]).includes(value)
}

export function parseRequestedFormat(value: string): RequestedFormat | undefined {
  const lower = value.trim().toLowerCase()
  if (lower === 'original' || isAssetFormat(lower)) return lower
  return undefined
}

/** The extension of a file name, lower-cased and without the dot ('' when there is none). */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : ''
}

/** What a file's bytes are checked against: a model format, or an OBJ's material or texture. */
export type FileKind = AssetFormat | 'mtl' | 'png' | 'jpeg' | 'webp' | 'ktx2'

const COMPANION_KINDS: Record<string, FileKind> = {
  mtl: 'mtl',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  webp: 'webp',
  ktx2: 'ktx2'
}

/** The kind a file name's extension names, if the action knows how to check it. */
export function kindOfFileName(fileName: string): FileKind | undefined {
  const extension = extensionOf(fileName)
  return isAssetFormat(extension) ? extension : COMPANION_KINDS[extension]
}

/** The asset format a file name's extension names, if it names one. */
export function formatOfFileName(fileName: string): AssetFormat | undefined {
  const extension = extensionOf(fileName)
  return isAssetFormat(extension) ? extension : undefined
}
