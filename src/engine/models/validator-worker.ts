// The Khronos glTF Validator's thread: a third-party parser, bounded in memory and time by the main
// thread, which can stop it (docs/decisions/0008). Its work runs beside the transfers rather than
// on the thread that serves them. Bundled on its own as dist/validator-worker/index.js; see
// validate.ts.

import { createRequire } from 'node:module'
import { parentPort, type MessagePort } from 'node:worker_threads'
import type { ValidationAnswer, ValidationReply, ValidationRequest } from './validator-protocol.js'

const MAX_QUOTED = 5

/**
 * The validator is compiled from Dart, and finds Node's own modules through a global `require`,
 * which an ES module (the bundle) does not have: it gets one made for this module.
 */
async function loadValidator(): Promise<typeof import('gltf-validator')> {
  const scope = globalThis as { require?: NodeJS.Require }
  scope.require ??= createRequire(import.meta.url)
  return import('gltf-validator')
}

if (parentPort) serve(parentPort)

/** One file at a time, so that a file that stops the thread is the one it had started. */
function serve(port: MessagePort): void {
  const validator = loadValidator()
  let previous: Promise<void> = Promise.resolve()
  port.on('message', (request: ValidationRequest) => {
    previous = previous.then(async () => {
      port.postMessage({ kind: 'started', id: request.id } satisfies ValidationReply)
      port.postMessage(await answer(validator, request))
    })
  })
}

async function answer(
  validator: Promise<typeof import('gltf-validator')>,
  request: ValidationRequest
): Promise<ValidationAnswer> {
  try {
    return await validate((await validator).validateBytes, request)
  } catch (error) {
    return {
      kind: 'failed',
      id: request.id,
      message: error instanceof Error ? error.message : String(error)
    }
  }
}

async function validate(
  validateBytes: (typeof import('gltf-validator'))['validateBytes'],
  { id, format, bytes }: ValidationRequest
): Promise<ValidationAnswer> {
  const report = await validateBytes(bytes, {
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
  return {
    kind: 'validated',
    id,
    errorCount: report.issues.numErrors,
    errors: quoted(0),
    warnings: quoted(1)
  }
}
