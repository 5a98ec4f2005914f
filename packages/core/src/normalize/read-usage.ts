import { Agentmeter } from '../attributes/names'
import { sanitizeUsage, type RawUsage } from '../usage/sanitize'
import type { Usage } from '../usage/usage'
import { readBoolean, readNumber } from './attribute-reader'
import type { Convention } from './conventions'
import type { Attributes } from './otlp-span'

export interface ReadUsage {
  usage: Usage | null
  notes: string[]
}

/**
 * The usage a span reports in its convention's names, made consistent (`sanitizeUsage`). Null
 * when the span has no count at all: unknown usage, never zero.
 */
export function readUsage(attrs: Attributes, rules: Convention): ReadUsage {
  if (readBoolean(attrs, Agentmeter.usageKnown) === false) return { usage: null, notes: [] }
  let raw: RawUsage = {}
  for (const field of Object.keys(rules.usage) as Array<keyof Usage>) {
    const value = readNumber(attrs, rules.usage[field])
    if (value !== undefined) raw[field] = value
  }
  const notes: string[] = []
  if (rules.adjustUsage) raw = rules.adjustUsage(raw, attrs, notes)
  if (Object.values(raw).every((value) => value === undefined)) return { usage: null, notes: [] }
  if (rules.inputExcludesCache) {
    raw.inputTokens =
      (raw.inputTokens ?? 0) + (raw.cacheReadTokens ?? 0) + (raw.cacheWriteTokens ?? 0)
  }
  const sanitized = sanitizeUsage(raw)
  return { usage: sanitized.usage, notes: [...notes, ...sanitized.notes] }
}

/** `usage_extra` keys for usage found on a span that is not billed (an aggregate of children). */
const AGGREGATE_KEYS: Readonly<Record<keyof Usage, string>> = {
  inputTokens: 'aggregate_input_tokens',
  outputTokens: 'aggregate_output_tokens',
  cacheReadTokens: 'aggregate_cache_read_tokens',
  cacheWriteTokens: 'aggregate_cache_write_tokens',
  cacheWrite1hTokens: 'aggregate_cache_write_1h_tokens',
  reasoningTokens: 'aggregate_reasoning_tokens',
}

/**
 * Usage on an agent, task or operation span repeats its children's (Vercel operation spans,
 * `invoke_agent` roots, agent runs): kept only as a cross-check, under `aggregate_*` keys, so no
 * sum over billed usage can ever include it.
 */
export function aggregateUsageExtra(usage: Usage | null): Record<string, number> {
  const extra: Record<string, number> = {}
  if (usage === null) return extra
  for (const [field, key] of Object.entries(AGGREGATE_KEYS)) {
    const value = usage[field as keyof Usage]
    if (value > 0) extra[key] = value
  }
  return extra
}
