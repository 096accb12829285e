// File names come from echo3D metadata, which is untrusted: any text, path-like strings included.
// Everything here turns such text into one safe path segment, or a path proven to stay inside.

import path from 'node:path'

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i
const MAX_SEGMENT_BYTES = 200

export function sanitizeSegment(raw: string, fallback: string): string {
  const lastPart = raw.split(/[\\/]/).pop() ?? ''
  let segment = lastPart
    .normalize('NFC')
    .split('')
    .filter(character => !isControlCharacter(character))
    .join('')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '')
  if (WINDOWS_RESERVED.test(segment)) segment = `_${segment}`
  segment = truncateUtf8(segment, MAX_SEGMENT_BYTES)
  return segment || fallback
}

function isControlCharacter(character: string): boolean {
  const code = character.charCodeAt(0)
  return code < 0x20 || code === 0x7f
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  let result = ''
  for (const character of text) {
    if (Buffer.byteLength(result + character) > maxBytes) break
    result += character
  }
  return result
}

/** The name of an uploaded file without its extension, safe for use as a segment. */
export function baseNameOf(fileName: string, fallback: string): string {
  const safe = sanitizeSegment(fileName, fallback)
  const dot = safe.lastIndexOf('.')
  return dot > 0 ? safe.slice(0, dot) : safe
}

export interface FileNameValues {
  name: string
  entry: string
  format: string
  ext: string
}

/** Fills the `file-name` template; each value is sanitised into a single segment first. */
export function renderFileName(template: string, values: FileNameValues): string {
  return template.replace(/\{(name|entry|format|ext)\}/g, (_match, key: keyof FileNameValues) =>
    sanitizeSegment(values[key], '_')
  )
}

/**
 * Joins a relative name onto the destination and proves the result stays inside it.
 * Returns the path relative to the destination, with `/` separators.
 */
export function resolveInside(destination: string, relativeName: string): string {
  const segments = relativeName.split(/[\\/]/).map(segment => sanitizeSegment(segment, '_'))
  const absolute = path.resolve(destination, ...segments)
  const relative = path.relative(destination, absolute)
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`refusing to write outside the destination: ${relativeName}`)
  }
  return relative.split(path.sep).join('/')
}

/** An absolute path as the workspace sees it: relative, with `/` separators. */
export function workspaceRelative(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute).split(path.sep).join('/')
}
