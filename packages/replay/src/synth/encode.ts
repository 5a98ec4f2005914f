/** A synthesized response body and its content type, ready for the server to write. */
export interface SynthesizedResponse {
  contentType: 'application/json' | 'text/event-stream'
  body: string
}

/**
 * Creation time stamped on every synthesized response (2026-01-01T00:00:00Z). A fixed value keeps
 * the same request giving byte-identical responses.
 */
export const CREATED_AT_SECONDS = 1_767_225_600

/** A JSON body. */
export function jsonResponse(value: unknown): SynthesizedResponse {
  return { contentType: 'application/json', body: JSON.stringify(value) }
}

/** An event stream of already framed events. */
export function sseResponse(events: readonly string[]): SynthesizedResponse {
  return { contentType: 'text/event-stream', body: events.join('') }
}

/** One server-sent event: `event:` (when named) and one `data:` line of JSON. */
export function sseEvent(data: unknown, event?: string): string {
  const name = event === undefined ? '' : `event: ${event}\n`
  return `${name}data: ${JSON.stringify(data)}\n\n`
}

/** The terminator of an OpenAI chat-completions stream. */
export const SSE_DONE = 'data: [DONE]\n\n'

/** Plain objects (not arrays) as records; anything else as an empty record. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** Arrays as they are; anything else as an empty array. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** A positive integer limit from a request field, or undefined. */
export function asLimit(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined
}
