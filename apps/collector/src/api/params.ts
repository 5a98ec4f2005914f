import { HttpError } from '../errors'

/** Parses an optional positive integer query parameter with an upper bound. */
export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback
  const limit = Number(value)
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new HttpError(
      400,
      `limit must be an integer from 1 to ${max}, got ${JSON.stringify(value)}`,
    )
  }
  return limit
}
