// What `optimize` saved, for the job summary: each optimised model's bytes as echo3D served them and
// as written, the saving, the totals, and once, what an app needs to load the files. Pure.

import { formatBytes } from '../quantities.js'
import type { PulledFile } from '../model.js'

export const OPTIMIZATION_COLUMNS = ['File', 'echo3D', 'Written', 'Saving'] as const

/** The files written optimised, in the report's order. */
export function optimizedFiles(files: readonly PulledFile[]): PulledFile[] {
  return files.filter(file => file.optimized)
}

/** One row of plain text cells: the path, the source's bytes, the written bytes, the saving. */
export function optimizationCells(file: PulledFile): string[] {
  const sourceBytes = file.optimized?.source.bytes ?? 0
  return [
    file.path,
    formatBytes(sourceBytes),
    formatBytes(file.bytes),
    saving(sourceBytes, file.bytes)
  ]
}

/** The totals over the optimised files, as a row of the same cells. */
export function optimizationTotals(files: readonly PulledFile[]): string[] {
  const source = files.reduce((sum, file) => sum + (file.optimized?.source.bytes ?? 0), 0)
  const written = files.reduce((sum, file) => sum + file.bytes, 0)
  return ['All', formatBytes(source), formatBytes(written), saving(source, written)]
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
export function decoderNote(files: readonly PulledFile[]): string | undefined {
  const used = new Set(files.flatMap(file => file.model?.extensions ?? []))
  const needs: string[] = []
  if (used.has('EXT_meshopt_compression')) {
    needs.push(
      "a meshopt decoder for the geometry (EXT_meshopt_compression): three.js's GLTFLoader.setMeshoptDecoder(MeshoptDecoder), or glTFast's meshopt package in Unity"
    )
  }
  if (used.has('KHR_draco_mesh_compression')) {
    needs.push(
      "a Draco decoder for the geometry (KHR_draco_mesh_compression): three.js's GLTFLoader.setDRACOLoader(DRACOLoader), or glTFast's Draco package in Unity"
    )
  }
  if (used.has('EXT_texture_webp')) {
    needs.push('WebP support for the textures (EXT_texture_webp)')
  }
  if (needs.length === 0) return undefined
  return `To load these models, an app needs ${needs.join(', and ')}.`
}
