/** Every string inside a message (its text parts, tool results, arguments), joined by spaces. */
export function textOf(value: unknown): string {
  const parts: string[] = []
  collect(value, parts, 0)
  return parts.join(' ')
}

function collect(value: unknown, parts: string[], depth: number): void {
  if (depth > 20) return
  if (typeof value === 'string') {
    parts.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, parts, depth + 1)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // Roles, types and ids are structure, not the prompt's wording.
      if (key === 'role' || key === 'type' || key === 'id' || key === 'tool_call_id') continue
      collect(item, parts, depth + 1)
    }
  }
}
