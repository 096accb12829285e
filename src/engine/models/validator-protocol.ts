// The messages between the main thread and the glTF Validator's thread. One file at a time: the
// main thread sends a file's bytes (moved, not copied) and waits for the one answer.

export interface ValidationRequest {
  id: number
  format: 'glb' | 'gltf'
  bytes: Uint8Array
}

export type ValidationReply =
  | {
      kind: 'validated'
      id: number
      errorCount: number
      /** The first few errors and warnings, each as `CODE: message (pointer)`. */
      errors: string[]
      warnings: string[]
    }
  /** The validator itself failed on the file (it threw): the file cannot be vouched for. */
  | { kind: 'failed'; id: number; message: string }
