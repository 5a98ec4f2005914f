/**
 * The collector's one error type for anything a client did wrong. Routes and middleware throw
 * it; the app's error handler is the only place that turns errors into responses.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 503,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'HttpError'
  }
}
