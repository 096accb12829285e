// The messages between the main thread and the glTF Validator's thread. The main thread sends
// files' bytes (moved, not copied); the thread validates them one at a time, in order, says when it
// starts each, and answers each once.

export interface ValidationRequest {
  id: number
  format: 'glb' | 'gltf'
  bytes: Uint8Array
}

export type ValidationReply =
  /** The file the thread works on from now: if the thread is lost, this file is the one to blame. */
  { kind: 'started'; id: number } | ValidationAnswer

export type ValidationAnswer =
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
