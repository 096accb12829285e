// A downloaded GLB, optimised before it is put in place: the verified source is validated, offered
// to the cache (which keeps echo3D's bytes), optimised on the optimiser's thread into a temporary
// file of its own beside it, and that file validated and measured. Only then does the download put
// it in place; on any failure both temporary files are removed, and the message names the step.

import { createHash } from 'node:crypto'
import { unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ExplainedError, ModelError } from '../../errors.js'
import type { FileKind } from '../../formats.js'
import type { Content, OptimizableKind, OptimizeSettings, PlannedAsset } from '../../model.js'
import type { Deadline } from '../models/deadline.js'
import { fileSource } from '../models/byte-source.js'
import { inspectModel, type InspectionTally } from '../models/inspect.js'
import type { DerivedFile } from '../transfer/download.js'
import { newPartialPath, settled } from '../transfer/partials.js'
import type { WorkspaceFolders } from '../workspace.js'
import { isOptimizable, optimizeOnThread, tooLargeToOptimize } from './optimizer.js'

/** How a planned file is optimised: GLB and glTF files only. */
export interface PlannedOptimization {
  kind: OptimizableKind
  settings: OptimizeSettings
}

export function optimizationFor(
  asset: Pick<PlannedAsset, 'expect' | 'optimize'>,
  run: OptimizeSettings | undefined
): PlannedOptimization | undefined {
  const settings = optimizationAskedFor(asset, run)
  if (!settings || !isOptimizableKind(asset.expect)) return undefined
  return { kind: asset.expect, settings }
}

export function isOptimizableKind(kind: FileKind | undefined): kind is OptimizableKind {
  return kind === 'glb' || kind === 'gltf'
}

/** What the run, or the entry's own setting, asks for the file, whatever its format. */
export function optimizationAskedFor(
  asset: Pick<PlannedAsset, 'optimize'>,
  run: OptimizeSettings | undefined
): OptimizeSettings | undefined {
  if (asset.optimize === false) return undefined
  return asset.optimize ?? run
}

/** Whether two settings make the same bytes from the same source. */
export function sameSettings(
  a: OptimizeSettings | undefined,
  b: OptimizeSettings | undefined
): boolean {
  if (a === undefined || b === undefined) return a === b
  return (
    a.geometry === b.geometry &&
    a.textures === b.textures &&
    a.textureSize === b.textureSize &&
    a.textureQuality === b.textureQuality &&
    a.simplify === b.simplify
  )
}

export interface OptimizeJob extends PlannedOptimization {
  folders: WorkspaceFolders
  deadline: Deadline
  tally?: InspectionTally
  /** Offered the verified source before it is optimised: the cache keeps echo3D's bytes. */
  keepSource?: (sourcePath: string, source: Content) => Promise<void>
}

/** What makes the optimised file from a verified download (see StreamTarget's `derive`). */
export function optimizedFile(
  job: OptimizeJob
): (sourcePath: string, source: Content) => Promise<DerivedFile> {
  return async (sourcePath, source) => {
    const { folders, deadline, tally, settings, kind } = job
    const before = await inStep('validating the source', () =>
      inspectModel(folders, sourcePath, kind, deadline)
    )
    await job.keepSource?.(sourcePath, source)
    const served = { ...source, ...(before.model ? { model: before.model } : {}) }
    const derivedPath = newPartialPath(path.dirname(sourcePath))
    try {
      const content = await writeOptimized(sourcePath, derivedPath, job)
      const inspection = await inStep('validating the optimised file', () =>
        inspectModel(folders, derivedPath, kind, deadline, tally)
      )
      // What is written optimised must have passed the validator, whatever the source could not.
      const skipped = inspection.validation?.skipped
      if (skipped) throw new ModelError(`validating the optimised file: ${skipped}`)
      return {
        path: derivedPath,
        ...content,
        ...inspection,
        optimized: { source: served, settings }
      }
    } catch (error) {
      await unlink(derivedPath).catch(() => undefined)
      settled(derivedPath)
      throw error
    }
  }
}

/** The source optimised (read whole when the optimiser is free for it), written exclusively. */
async function writeOptimized(
  sourcePath: string,
  derivedPath: string,
  job: OptimizeJob
): Promise<Content> {
  const read = () => readWhole(sourcePath, job.folders)
  const optimized = await optimizeOnThread(read, job, job.deadline)
  await writeFile(derivedPath, optimized, { flag: 'wx' })
  return {
    bytes: optimized.byteLength,
    sha256: createHash('sha256').update(optimized).digest('hex')
  }
}

/** In a buffer of its own, which moves to the thread without a copy. */
async function readWhole(
  sourcePath: string,
  folders: WorkspaceFolders
): Promise<Uint8Array<ArrayBuffer>> {
  const file = await folders.openFile(sourcePath)
  if (!file) throw new ModelError('the downloaded file vanished before it could be optimised')
  try {
    const source = await fileSource(file)
    if (!isOptimizable(source.size)) throw tooLargeToOptimize(source.size)
    return await source.whole()
  } finally {
    await file.close()
  }
}

/** A step's failure says which step it was; the validator's words follow. */
async function inStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof ExplainedError)) throw error
    throw new ModelError(`${step}: ${error.message}`)
  }
}
