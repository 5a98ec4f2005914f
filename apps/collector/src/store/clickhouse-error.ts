/**
 * The loggable part of a ClickHouse error: its code and type. The message is left out on
 * purpose, because ClickHouse quotes the offending input in parse errors, and that input is
 * span data (bound values, attribute text) that must not reach the logs.
 */
export function clickHouseErrorFields(err: unknown): {
  code?: string
  type?: string
  name?: string
} {
  if (typeof err !== 'object' || err === null) return {}
  const { code, type, name } = err as { code?: unknown; type?: unknown; name?: unknown }
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof name === 'string' ? { name } : {}),
  }
}
