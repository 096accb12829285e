// The formats echo3D stores or converts to, and what the action knows about each.

export const CONVERTIBLE_FORMATS = ['glb', 'gltf', 'usdz', 'obj', 'fbx', 'stl'] as const
export type AssetFormat = (typeof CONVERTIBLE_FORMATS)[number]
/** `original` asks for the file as it was uploaded, whatever its format. */
export type RequestedFormat = AssetFormat | 'original'
export const KNOWN_FORMATS: readonly RequestedFormat[] = [...CONVERTIBLE_FORMATS, 'original']

function isAssetFormat(value: string): value is AssetFormat {
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

/** The asset format a file name's extension names, if it names one. */
export function formatOfFileName(fileName: string): AssetFormat | undefined {
  const extension = extensionOf(fileName)
  return isAssetFormat(extension) ? extension : undefined
}
