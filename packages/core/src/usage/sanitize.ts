import type { Usage } from './usage'

/** Usage counts as read from a span or a provider, before they are checked. */
export type RawUsage = Partial<Record<keyof Usage, number>>

export interface SanitizedUsage {
  usage: Usage
  /** What was wrong with the counts and how it was resolved, one sentence each. */
  notes: string[]
}

/**
 * Makes reported counts consistent with the OTel convention (parts never exceed their totals),
 * so that pricing never sees a negative uncached input. Every correction is written down in
 * `notes`, which the collector stores on the row: a surprising cost can be traced to its cause.
 */
export function sanitizeUsage(raw: RawUsage): SanitizedUsage {
  const notes: string[] = []
  // A literal rather than a loop over the field names: one object of its final shape.
  const usage: Usage = {
    inputTokens: toCount('inputTokens', raw.inputTokens, notes),
    outputTokens: toCount('outputTokens', raw.outputTokens, notes),
    cacheReadTokens: toCount('cacheReadTokens', raw.cacheReadTokens, notes),
    cacheWriteTokens: toCount('cacheWriteTokens', raw.cacheWriteTokens, notes),
    cacheWrite1hTokens: toCount('cacheWrite1hTokens', raw.cacheWrite1hTokens, notes),
    reasoningTokens: toCount('reasoningTokens', raw.reasoningTokens, notes),
  }

  if (usage.cacheWrite1hTokens > usage.cacheWriteTokens) {
    notes.push(
      `cacheWrite1hTokens (${usage.cacheWrite1hTokens}) exceeded cacheWriteTokens (${usage.cacheWriteTokens}); cache writes raised to match`,
    )
    usage.cacheWriteTokens = usage.cacheWrite1hTokens
  }

  const cached = usage.cacheReadTokens + usage.cacheWriteTokens
  if (cached > usage.inputTokens) {
    // Input below its own parts is what Anthropic's raw `input_tokens` looks like: it excludes
    // cache reads and writes. Reading it that way prices the call as the provider bills it.
    notes.push(
      `inputTokens (${usage.inputTokens}) was below cache reads + writes (${cached}); read as excluding cache, total input ${usage.inputTokens + cached}`,
    )
    usage.inputTokens += cached
  }

  if (usage.reasoningTokens > usage.outputTokens) {
    // Likewise, output below reasoning means reasoning was counted apart (Gemini, xAI).
    notes.push(
      `reasoningTokens (${usage.reasoningTokens}) exceeded outputTokens (${usage.outputTokens}); read as excluding reasoning, total output ${usage.outputTokens + usage.reasoningTokens}`,
    )
    usage.outputTokens += usage.reasoningTokens
  }

  return { usage, notes }
}

function toCount(field: keyof Usage, value: number | undefined, notes: string[]): number {
  return value === undefined ? 0 : repairCount(field, value, notes)
}

/**
 * A reported token count as a non-negative integer below 2^53, with a note when it had to be
 * repaired. Shared by the provider mappers, which add counts up before this module sees them.
 */
export function repairCount(field: string, value: number, notes: string[]): number {
  if (!Number.isFinite(value) || value < 0) {
    notes.push(`${field} was ${value}, expected a non-negative integer; counted as 0`)
    return 0
  }
  if (value > Number.MAX_SAFE_INTEGER) {
    // No call reads 2^53 tokens; such a count is corrupt and would not survive storage exactly.
    notes.push(`${field} was ${value}, expected a count below 2^53; counted as 0`)
    return 0
  }
  if (!Number.isInteger(value)) {
    const rounded = Math.round(value)
    notes.push(`${field} was ${value}, expected an integer; rounded to ${rounded}`)
    return rounded
  }
  return value
}
