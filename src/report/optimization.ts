// What `optimize` did, for the job summary and the pull request: each optimised model as echo3D
// served it → as written (bytes, triangles, the largest texture and the textures' formats), the
// saving, the totals, and once, what an app needs to load the files. Pure.

import { formatBytes, formatCount } from '../quantities.js'
import type { ModelStats, PulledFile } from '../model.js'

export const OPTIMIZATION_COLUMNS = [
  'File',
  'echo3D',
  'Written',
  'Saving',
  'Triangles',
  'Textures'
] as const

/** What the table reads of a file: the adapters' own file types have these too. */
type OptimizedFacts = Pick<PulledFile, 'path' | 'bytes' | 'model' | 'optimized'>

/** The files written optimised, in the report's order. */
export function optimizedFiles<T extends OptimizedFacts>(files: readonly T[]): T[] {
  return files.filter(file => file.optimized)
}

/**
 * One row of plain text cells: the path, the source's bytes, the written bytes, the saving, and
 * the triangles and textures, source → written where they differ.
 */
export function optimizationCells(file: OptimizedFacts): string[] {
  const sourceBytes = file.optimized?.source.bytes ?? 0
  const before = file.optimized?.source.model
  return [
    file.path,
    formatBytes(sourceBytes),
    formatBytes(file.bytes),
    saving(sourceBytes, file.bytes),
    change(countOf(before?.triangles), countOf(file.model?.triangles)),
    change(texturesOf(before), texturesOf(file.model))
  ]
}

/** The totals over the optimised files, as a row of the same cells. */
export function optimizationTotals(files: readonly OptimizedFacts[]): string[] {
  const source = files.reduce((sum, file) => sum + (file.optimized?.source.bytes ?? 0), 0)
  const written = files.reduce((sum, file) => sum + file.bytes, 0)
  const before = totalTriangles(files.map(file => file.optimized?.source.model))
  const after = totalTriangles(files.map(file => file.model))
  return [
    'All',
    formatBytes(source),
    formatBytes(written),
    saving(source, written),
    change(before, after),
    ''
  ]
}

/** The models' triangles together; a dash when any model's count is unknown. */
function totalTriangles(models: readonly (ModelStats | undefined)[]): string {
  const counts = models.map(model => model?.triangles)
  if (counts.some(count => count === undefined)) return '—'
  return formatCount(counts.reduce((sum: number, count) => sum + (count ?? 0), 0))
}

function countOf(count: number | undefined): string {
  return count === undefined ? '—' : formatCount(count)
}

/** The largest texture and every format: "2048 × 2048, PNG and JPEG"; a dash for none. */
function texturesOf(model: ModelStats | undefined): string {
  const largest = model?.largestTexture
  if (!largest) return '—'
  const formats = (model.textureFormats ?? []).map(formatName)
  const size = `${largest[0]} × ${largest[1]}`
  return formats.length > 0 ? `${size}, ${formats.join(' and ')}` : size
}

function formatName(format: string): string {
  return format === 'webp' ? 'WebP' : format.toUpperCase()
}

/** One value when it did not change, "before → after" when it did. */
function change(before: string, after: string): string {
  return before === after ? after : `${before} → ${after}`
}

/** A file's written size, and for an optimised one, echo3D's and the saving: for one table cell. */
export function sizeWithSaving(file: Pick<PulledFile, 'bytes' | 'optimized'>): string {
  const written = formatBytes(file.bytes)
  const source = file.optimized?.source.bytes
  if (source === undefined) return written
  return `${written} (echo3D: ${formatBytes(source)}, ${saving(source, file.bytes)})`
}

function saving(source: number, written: number): string {
  if (source === 0) return '—'
  const percent = ((source - written) / source) * 100
  return `${percent >= 0 ? '−' : '+'}${Math.abs(percent).toFixed(1)} %`
}

/** What loading the files needs, by the extensions they use; one sentence, or none. */
export function decoderNote(files: readonly Pick<PulledFile, 'model'>[]): string | undefined {
  const used = new Set(files.flatMap(file => file.model?.extensions ?? []))
  const needs: string[] = []
  if (used.has('EXT_meshopt_compression')) {
    needs.push(
      "a meshopt decoder for the geometry (EXT_meshopt_compression): three.js's GLTFLoader.setMeshoptDecoder(MeshoptDecoder), or glTFast's meshopt package in Unity"
    )
  }
  if (used.has('KHR_draco_mesh_compression')) {
    needs.push(
      "a Draco decoder for the geometry (KHR_draco_mesh_compression): three.js's GLTFLoader.setDRACOLoader(dracoLoader), or glTFast's Draco package in Unity"
    )
  }
  if (used.has('EXT_texture_webp')) {
    needs.push('WebP support for the textures (EXT_texture_webp)')
  }
  if (used.has('EXT_texture_avif')) {
    needs.push("AVIF support for the textures (EXT_texture_avif): three.js's GLTFLoader reads it")
  }
  if (needs.length === 0) return undefined
  return `To load these models, an app needs ${needs.join(', and ')}.`
}
