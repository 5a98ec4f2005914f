/**
 * A failed API call: an HTTP error answer (`status` set), or no answer at all (`status` 0). The
 * message is the server's `{ error }` when it sent one, and never holds the request body.
 */
export class ApiError extends Error {
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
  }
}

/** A 401: the session is missing or expired, so the app shows the sign-in form. */
export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(401, message)
    this.name = 'UnauthorizedError'
  }
}

/** Query parameters; `undefined` and `''` values are left out of the URL. */
export type QueryParams = Record<string, string | number | undefined>

/** Builds a same-origin API path such as `/api/v1/tasks?limit=100`. */
export function apiPath(path: string, params: QueryParams = {}): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(name, String(value))
  }
  const search = query.toString()
  return `/api/v1${path}${search === '' ? '' : `?${search}`}`
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json()
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const error = (body as { error: unknown }).error
      if (typeof error === 'string' && error !== '') return error
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): fall back to the status line below.
  }
  return `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
}

/**
 * Sends one request to the collector and returns the parsed JSON body. Throws
 * `UnauthorizedError` on 401, `ApiError` on any other failure; aborts pass through as the
 * `AbortError` that `fetch` raised.
 */
export async function requestJson(
  path: string,
  init: {
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
    body?: unknown
    signal?: AbortSignal
  } = {},
): Promise<unknown> {
  const { method = 'GET', body, signal } = init
  let response: Response
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(0, 'Could not reach the collector')
  }

  if (response.status === 401) throw new UnauthorizedError(await errorMessage(response))
  if (!response.ok) throw new ApiError(response.status, await errorMessage(response))
  if (response.status === 204) return null
  try {
    return await response.json()
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError(response.status, 'The server sent a response that is not JSON')
  }
}
