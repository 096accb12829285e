// File names come from echo3D metadata, which is untrusted: any text, path-like strings included.
// Everything here turns such text into one safe path segment, or a path proven to stay inside.

import path from 'node:path'
import { withoutHidden } from '../escape.js'

/** The device names Windows reserves, with any extension: `CON.glb` opens the console. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])$/i
const MAX_SEGMENT_BYTES = 200
/** A longer "extension" is part of the name, and is cut with it. */
const MAX_KEPT_EXTENSION_BYTES = 16

/**
 * One path segment that is safe on Linux, macOS and Windows: no folder part, no hidden or
 * control character, none of the characters Windows forbids, no leading dot (so no `..` and no
 * `.git`), no trailing dot or space, no device name, at most 200 bytes. Applying it twice changes
 * nothing, which is how the lockfile tells the names the action could have written.
 */
export function sanitizeSegment(raw: string, fallback: string): string {
  const lastPart = raw.split(/[\\/]/).pop() ?? ''
  const cleaned = withoutEdges(withoutHidden(lastPart.normalize('NFC')).replace(/[<>:"|?*]/g, '_'))
  const short = withoutEdges(shortened(cleaned))
  // After the cut: it may leave a device's name before the extension (`CON    .glb`).
  const safe = isWindowsDevice(short) ? withoutEdges(shortened(`_${short}`)) : short
  return safe || fallback
}

/** A name the action could have written itself: sanitising leaves it as it is. */
export function isPlainName(name: string): boolean {
  return sanitizeSegment(name, '') === name
}

/**
 * Windows takes the part of a name before its first dot, with trailing spaces and dots dropped,
 * for the device: `nul .x.glb` and `LPT1 . .b.glb` open devices as `NUL.glb` does.
 */
function isWindowsDevice(segment: string): boolean {
  const stem = segment.split('.')[0].replace(/[\s.]+$/, '')
  return WINDOWS_RESERVED.test(stem)
}

/** No space or dot at either end: none leads a name (`..`, `.git`), none ends one on Windows. */
function withoutEdges(name: string): string {
  return name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '')
}

/** Cut to MAX_SEGMENT_BYTES of UTF-8, keeping the extension: a model keeps the type it names. */
function shortened(segment: string): string {
  if (Buffer.byteLength(segment) <= MAX_SEGMENT_BYTES) return segment
  const dot = segment.lastIndexOf('.')
  const extension = dot > 0 ? segment.slice(dot) : ''
  const kept = Buffer.byteLength(extension) <= MAX_KEPT_EXTENSION_BYTES ? extension : ''
  const name = segment.slice(0, segment.length - kept.length)
  return truncateUtf8(name, MAX_SEGMENT_BYTES - Buffer.byteLength(kept)) + kept
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
 * Whether `target` is `root` or lies below it, both resolved: the one test of every path that
 * must stay inside the workspace or the destination.
 */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  if (path.isAbsolute(relative)) return false
  return relative !== '..' && !relative.startsWith(`..${path.sep}`)
}

/** Whether `target` lies inside `root` and is not `root` itself: a place for a file. */
export function isBelow(root: string, target: string): boolean {
  return path.resolve(target) !== path.resolve(root) && isInside(root, target)
}

/**
 * Joins a relative name onto the destination and proves the result stays inside it.
 * Returns the path relative to the destination, with `/` separators.
 */
export function resolveInside(destination: string, relativeName: string): string {
  const segments = relativeName.split(/[\\/]/).map(segment => sanitizeSegment(segment, '_'))
  const absolute = path.resolve(destination, ...segments)
  if (!isBelow(destination, absolute)) {
    throw new Error(`refusing to write outside the destination: ${relativeName}`)
  }
  return path.relative(destination, absolute).split(path.sep).join('/')
}

/**
 * A path as macOS and Windows compare names: in one Unicode form and without case, each letter by
 * its simple case mapping, as their file systems fold it. There `Σ`, `σ` and `ς` are one letter,
 * and `ſ` is `s`, which lower case alone does not tell. Two paths with one key are one file there.
 */
export function sameFileKey(filePath: string): string {
  let key = ''
  for (const character of filePath.normalize('NFC')) {
    const upper = character.toUpperCase()
    key += ([...upper].length === 1 ? upper : character).toLowerCase()
  }
  return key
}

/** An absolute path as the workspace sees it: relative, with `/` separators. */
export function workspaceRelative(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute).split(path.sep).join('/')
}
