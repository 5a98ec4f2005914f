import type { ToolCall } from './outcome'

/** Longest content attribute we write; a prompt can be megabytes and spans stay in memory. */
const MAX_CONTENT_CHARS = 100_000

/** JSON text of `value`, cut to a bounded length. Never throws (cycles, BigInt). */
export function toJson(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null')
  } catch {
    text = '"[unserializable]"'
  }
  return text.length > MAX_CONTENT_CHARS ? text.slice(0, MAX_CONTENT_CHARS) : text
}

/** The model's answer as OTel GenAI output messages (one assistant message). */
export function outputMessages(
  text: string | undefined,
  toolCalls: readonly ToolCall[],
  finishReasons: readonly string[],
): string {
  const parts: unknown[] = []
  if (text) parts.push({ type: 'text', content: text })
  for (const call of toolCalls) {
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments })
  }
  return toJson([{ role: 'assistant', parts, finish_reason: finishReasons[0] ?? null }])
}
