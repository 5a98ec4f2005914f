import { HttpError } from '../errors'
import type { QueryParamSpec } from './route-schemas'

export type QueryValues = Record<string, string | number | undefined>

/**
 * Reads a route's query parameters as its spec declares them: integers are checked against
 * their bounds, enums against their values, and an unknown parameter is refused (a typo such as
 * `groupby` would otherwise silently fall back to a default).
 */
export function parseQuery(
  query: Record<string, string>,
  specs: readonly QueryParamSpec[],
): QueryValues {
  const known = new Set(specs.map((spec) => spec.name))
  for (const name of Object.keys(query)) {
    if (!known.has(name)) {
      throw new HttpError(
        400,
        `unknown query parameter ${JSON.stringify(name)}; expected one of ${[...known].join(', ')}`,
      )
    }
  }
  const values: QueryValues = {}
  for (const spec of specs) {
    const raw = query[spec.name]
    if (raw === undefined || raw === '') {
      if (spec.required) throw new HttpError(400, `${spec.name} is required`)
      continue
    }
    values[spec.name] = coerce(spec, raw)
  }
  return values
}

function coerce(spec: QueryParamSpec, raw: string): string | number {
  const schema = spec.schema as {
    type?: unknown
    enum?: unknown[]
    minimum?: number
    maximum?: number
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(raw)) {
    throw new HttpError(
      400,
      `${spec.name} must be one of ${schema.enum.join(', ')}, got ${JSON.stringify(raw)}`,
    )
  }
  if (schema.type === 'integer') {
    const value = Number(raw)
    const min = schema.minimum ?? Number.MIN_SAFE_INTEGER
    const max = schema.maximum ?? Number.MAX_SAFE_INTEGER
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new HttpError(
        400,
        `${spec.name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      )
    }
    return value
  }
  return raw
}
