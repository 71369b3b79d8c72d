/**
 * The one error class: a stable `code`, a one-line message and a one-line `hint` (the fix).
 * Thrown only for errors that stop a command; a bad file or a failed request is data instead.
 */
export class ParityError extends Error {
  override readonly name = 'ParityError'
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** 2 for usage, config and runtime errors. */
    readonly exitCode = 2,
  ) {
    super(message)
  }
}

export function isParityError(e: unknown): e is ParityError {
  return e instanceof ParityError
}
