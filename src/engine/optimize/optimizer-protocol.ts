// The messages between the main thread and the optimiser's thread. The main thread sends one
// model's bytes (moved, not copied) at a time; the thread answers with the optimised bytes, or with
// the step that failed and why.

import type { OptimizableKind, OptimizeSettings } from '../../model.js'

export interface OptimizeRequest {
  id: number
  bytes: Uint8Array<ArrayBuffer>
  /** A GLB comes out a GLB; a glTF, a glTF with its buffers and images embedded. */
  kind: OptimizableKind
  settings: OptimizeSettings
}

/** The steps of an optimisation, as a failure names them. */
export type OptimizeStep =
  | 'reading the model to optimise'
  | 'simplifying geometry'
  | 'optimising textures'
  | 'compressing geometry'
  | 'writing the optimised model'

export type OptimizeAnswer =
  | { kind: 'optimized'; id: number; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'failed'; id: number; step: OptimizeStep; message: string }
