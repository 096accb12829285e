// The Khronos glTF Validator over a GLB or glTF file. It reads the whole file into memory, so files
// above MAX_VALIDATED_BYTES are not validated, and say so. Its errors fail the asset; its warnings
// are reported. The validator (a large module) loads only when a run has a glTF file to check.

import { createRequire } from 'node:module'
import { ModelError } from '../../errors.js'
import { formatBytes } from '../../format.js'
import { AdjustableLimit } from '../concurrency.js'
import type { ByteSource } from './byte-source.js'
import type { InspectionTally } from './tally.js'
import type { Validation } from '../../model.js'

/**
 * The validator is compiled from Dart, and finds Node's own modules through a global `require`,
 * which an ES module (the action's bundle) does not have: it gets one made for this module.
 */
async function loadValidator(): Promise<typeof import('gltf-validator')> {
  const scope = globalThis as { require?: NodeJS.Require }
  scope.require ??= createRequire(import.meta.url)
  return import('gltf-validator')
}

const MAX_VALIDATED_BYTES = 32 * 1024 * 1024
const MAX_QUOTED = 5

/**
 * One file in the validator at a time: each holds its whole file and more in memory, and the
 * validator runs on the thread that also serves the transfers.
 */
const validator = new AdjustableLimit(1)

export async function validateGltf(
  source: ByteSource,
  format: 'glb' | 'gltf',
  tally?: InspectionTally
): Promise<Validation> {
  return validator.run(async () => {
    const startedAt = performance.now()
    const validation = await validateWhole(source, format)
    if (tally && !validation.skipped) {
      tally.validated++
      tally.validationMs += performance.now() - startedAt
    }
    return validation
  })
}

async function validateWhole(source: ByteSource, format: 'glb' | 'gltf'): Promise<Validation> {
  const { size } = source
  if (size > MAX_VALIDATED_BYTES) {
    return {
      warnings: [],
      skipped: `not validated: larger than the ${formatBytes(MAX_VALIDATED_BYTES)} the glTF Validator reads`
    }
  }
  const bytes = await source.read(0, size)
  const { validateBytes } = await loadValidator()
  const report = await validateBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
    format,
    maxIssues: 100,
    writeTimestamp: false
  })
  const quoted = (severity: number): string[] =>
    report.issues.messages
      .filter(message => message.severity === severity)
      .slice(0, MAX_QUOTED)
      .map(
        message =>
          `${message.code}: ${message.message}${message.pointer ? ` (${message.pointer})` : ''}`
      )
  if (report.issues.numErrors > 0) {
    throw new ModelError(
      `the Khronos glTF Validator found ${report.issues.numErrors} error${report.issues.numErrors === 1 ? '' : 's'}: ${quoted(0).join('; ')}`
    )
  }
  return { warnings: quoted(1) }
}
