type Schema = Record<string, unknown>

/**
 * Arguments for a tool call, built from the tool's JSON schema: every required property (all
 * properties when none is required), with values drawn from the user's last message where a
 * property looks like an id, a URL, a path or a query, so agent loops get plausible arguments.
 */
export function toolArguments(
  schema: unknown,
  context: string,
  random: () => number,
): Record<string, unknown> {
  const value = valueFor('input', asSchema(schema) ?? { type: 'object' }, context, random)
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function valueFor(name: string, schema: Schema, context: string, random: () => number): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[Math.floor(random() * schema.enum.length)]
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'integer':
    case 'number':
      return numberFor(schema, random)
    case 'boolean':
      return random() < 0.5
    case 'array': {
      const items = asSchema(schema.items) ?? { type: 'string' }
      return [valueFor(name, items, context, random)]
    }
    case 'object':
      return objectFor(schema, context, random)
    default:
      return stringFor(name, context, random)
  }
}

function objectFor(schema: Schema, context: string, random: () => number): Record<string, unknown> {
  const properties = (asSchema(schema.properties) ?? {}) as Record<string, unknown>
  const required = Array.isArray(schema.required) ? schema.required.map(String) : []
  const names = required.length > 0 ? required : Object.keys(properties)
  const result: Record<string, unknown> = {}
  for (const name of names) {
    result[name] = valueFor(name, asSchema(properties[name]) ?? {}, context, random)
  }
  return result
}

function numberFor(schema: Schema, random: () => number): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : 1
  const max = typeof schema.maximum === 'number' ? schema.maximum : min + 9
  return min + Math.floor(random() * (max - min + 1))
}

function stringFor(name: string, context: string, random: () => number): string {
  const suffix = Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')
  if (/(^|_)id$|Id$/.test(name))
    return firstMatch(context, /\b[A-Z]{2,}-\d+\b/) ?? `${name}_${suffix}`
  if (/url|link/i.test(name)) {
    return firstMatch(context, /https?:\/\/[^\s"')]+/) ?? `https://example.com/${suffix}`
  }
  if (/path|file/i.test(name))
    return firstMatch(context, /[\w-]+(?:\/[\w.-]+)+\.\w+/) ?? 'README.md'
  const words = context.split(/\s+/).filter(Boolean).slice(0, 8).join(' ')
  return words === '' ? `${name} ${suffix}` : words
}

function firstMatch(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[0]
}

function asSchema(value: unknown): Schema | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Schema)
    : undefined
}
