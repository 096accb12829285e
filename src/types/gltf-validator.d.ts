// The part of the Khronos glTF Validator's API (npm gltf-validator) that the action uses; the
// package ships no types.
declare module 'gltf-validator' {
  interface ValidationMessage {
    code: string
    message: string
    /** 0 error, 1 warning, 2 information, 3 hint. */
    severity: number
    pointer?: string
  }

  interface ValidationReport {
    issues: {
      numErrors: number
      numWarnings: number
      messages: ValidationMessage[]
    }
  }

  interface ValidationOptions {
    format?: 'glb' | 'gltf'
    maxIssues?: number
    writeTimestamp?: boolean
  }

  export function validateBytes(
    data: Uint8Array,
    options?: ValidationOptions
  ): Promise<ValidationReport>
}
