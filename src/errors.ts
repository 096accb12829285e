/**
 * Errors that carry what the user needs to read. `reportFailure` in main.ts is the one place
 * that turns them into a failed step.
 */
export class ActionError extends Error {
  override readonly name: string = 'ActionError'
}

/** A bad input, raised before any network call. */
export class InputError extends ActionError {
  override readonly name = 'InputError'

  constructor(
    readonly input: string,
    problem: string,
    fix: string
  ) {
    super(`Input '${input}': ${problem}. ${fix}`)
  }
}

/** Several bad inputs at once, so the user can fix them all in one edit. */
export class InputErrors extends ActionError {
  override readonly name = 'InputErrors'

  constructor(readonly errors: InputError[]) {
    super(errors.map(error => error.message).join('\n'))
  }
}

/** echo3D answered with a status that is not a success. */
export class HttpStatusError extends ActionError {
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
export class VerificationError extends ActionError {
  override readonly name = 'VerificationError'
}

/** The body stopped moving, or the asset ran out of its `timeout`. */
export class TimeoutError extends ActionError {
  override readonly name = 'TimeoutError'

  constructor(
    message: string,
    readonly retryable: boolean
  ) {
    super(message)
  }
}

/** echo3D's metadata is not of the shape the API documents. */
export class ProtocolError extends ActionError {
  override readonly name = 'ProtocolError'
}

/** One or more assets failed; the step fails after every other asset had its chance. */
export class AssetFailures extends ActionError {
  override readonly name = 'AssetFailures'

  constructor(readonly failures: { label: string; message: string }[]) {
    super(
      `${failures.length} asset${failures.length === 1 ? '' : 's'} failed:\n` +
        failures.map(failure => `- ${failure.label}: ${failure.message}`).join('\n')
    )
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
