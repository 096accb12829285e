// Errors that carry what the user needs to read. The adapters turn them into a failed step or an
// exit code in one place each; anything else that escapes is reported as unexpected.

import { forLog } from './escape.js'
import { plural } from './quantities.js'
import type { Failure, StaleAsset } from './model.js'

/** An error whose message says what went wrong and what to do about it. */
export class ExplainedError extends Error {
  override readonly name: string = 'ExplainedError'
}

/** The run was asked for wrongly: a bad input, flag or configuration file. Nothing has run yet. */
export class ConfigurationError extends ExplainedError {
  override readonly name: string = 'ConfigurationError'
}

/** A bad input, raised before any network call. */
export class InputError extends ConfigurationError {
  override readonly name = 'InputError'

  constructor(
    readonly input: string,
    readonly problem: string,
    readonly fix: string
  ) {
    super(`Input '${input}': ${problem}. ${fix}`)
  }
}

/** Several bad inputs at once, so the user can fix them all in one edit. */
export class InputErrors extends ConfigurationError {
  override readonly name = 'InputErrors'

  constructor(readonly errors: InputError[]) {
    super(errors.map(error => error.message).join('\n'))
  }
}

/** echo3D answered with a status that is not a success. */
export class HttpStatusError extends ExplainedError {
  override readonly name = 'HttpStatusError'

  constructor(
    readonly status: number,
    readonly bodyExcerpt: string,
    readonly retryAfterHeader?: string
  ) {
    super(`echo3D answered HTTP ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`)
  }
}

/** The bytes received are not the file asked for (an error page served with 200, a short body). */
export class VerificationError extends ExplainedError {
  override readonly name = 'VerificationError'
}

/** The body stopped moving, or the asset ran out of its `timeout`. */
export class TimeoutError extends ExplainedError {
  override readonly name = 'TimeoutError'

  constructor(
    message: string,
    readonly retryable: boolean
  ) {
    super(message)
  }
}

/** A body is larger than the action accepts: a limit the user set, or the one for metadata. */
export class TooLargeError extends ExplainedError {
  override readonly name = 'TooLargeError'
}

/** A model's bytes pass their signature but not a reading of their structure: not worth a retry. */
export class ModelError extends ExplainedError {
  override readonly name = 'ModelError'
}

/** No picture of a model could be made, or the one made shows nothing: the message says which. */
export class PreviewError extends ExplainedError {
  override readonly name = 'PreviewError'
  /** The model ran out of its time limit: the browser may be hung, and is replaced. */
  readonly timedOut: boolean

  constructor(message: string, options: { timedOut?: boolean } = {}) {
    super(message)
    this.timedOut = options.timedOut ?? false
  }
}

/** echo3D's metadata is not of the shape the API documents. */
export class ProtocolError extends ExplainedError {
  override readonly name = 'ProtocolError'
}

/**
 * A path leads outside the workspace on disk (through a symbolic link or a junction), or is not
 * what the action reads and writes there (a folder, a device); the message names it and the fix.
 */
export class WorkspaceBoundaryError extends ExplainedError {
  override readonly name = 'WorkspaceBoundaryError'
}

/** The lockfile cannot be trusted; the message says which check it failed. */
/** A `.meta` file the action would write collides with one it read or wrote in the run. */
export class UnityMetaError extends ExplainedError {
  override readonly name = 'UnityMetaError'
}

export class LockfileError extends ExplainedError {
  override readonly name = 'LockfileError'
}

/** A delivery step failed; the message says what to change. */
export class DeliveryError extends ExplainedError {
  override readonly name = 'DeliveryError'
}

/** The job was cancelled while the action ran. */
export class CancelledError extends ExplainedError {
  override readonly name = 'CancelledError'

  constructor(signal: string) {
    super(`Cancelled (${signal}); the files being written were removed`)
  }
}

/** One or more assets failed; the step fails after every other asset had its chance. */
export class AssetFailures extends ExplainedError {
  override readonly name = 'AssetFailures'

  constructor(readonly failures: readonly Failure[]) {
    super(
      `${plural(failures.length, 'asset')} failed:\n` +
        failures.map(failure => `- ${forLog(failure.label)}: ${forLog(failure.message)}`).join('\n')
    )
  }
}

/** Models over their budgets, with `budget-mode: fail`: the step fails after everything is written. */
export class ModelsOverBudget extends ExplainedError {
  override readonly name = 'ModelsOverBudget'

  constructor(lines: readonly string[], remedy: string) {
    super(
      `${plural(lines.length, 'budget')} broken:\n` +
        lines.map(line => `- ${forLog(line)}`).join('\n') +
        `\n${remedy}`
    )
  }
}

/** Check mode found selected files missing or stale; `remedy` says how to update them. */
export class StaleAssets extends ExplainedError {
  override readonly name = 'StaleAssets'

  constructor(
    readonly stale: readonly StaleAsset[],
    remedy: string
  ) {
    super(
      `${plural(stale.length, 'file')} missing or stale:\n` +
        stale.map(asset => `- ${forLog(asset.path)}: ${forLog(asset.reason)}`).join('\n') +
        `\n${remedy}`
    )
  }
}

/** An error's message, from this realm or another (a worker's, Node's own). */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message
  return typeof message === 'string' ? message : String(error)
}
