import { asRecord, finish, hasAnyField, readCount, type MappedUsage } from './count'

const FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const

/**
 * Maps an Anthropic Messages `usage` object. `input_tokens` EXCLUDES the cache, so the total
 * input is `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`;
 * `cache_creation.ephemeral_1h_input_tokens` is the 1-hour part of the cache writes (clamped to
 * them); thinking is inside `output_tokens` (`output_tokens_details.thinking_tokens`, when sent,
 * is its share).
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapAnthropicUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage || !hasAnyField(usage, FIELDS)) return null

  const notes: string[] = []
  const uncached = readCount(usage, 'input_tokens', notes) ?? 0
  const cacheWrite = readCount(usage, 'cache_creation_input_tokens', notes) ?? 0
  const cacheRead = readCount(usage, 'cache_read_input_tokens', notes) ?? 0
  const reported1h =
    readCount(asRecord(usage.cache_creation), 'ephemeral_1h_input_tokens', notes) ?? 0
  if (reported1h > cacheWrite) {
    notes.push(
      `cache_creation.ephemeral_1h_input_tokens (${reported1h}) exceeded cache_creation_input_tokens (${cacheWrite}); clamped to it`,
    )
  }

  return finish(
    {
      inputTokens: uncached + cacheWrite + cacheRead,
      outputTokens: readCount(usage, 'output_tokens', notes) ?? 0,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      cacheWrite1hTokens: Math.min(reported1h, cacheWrite),
      reasoningTokens:
        readCount(asRecord(usage.output_tokens_details), 'thinking_tokens', notes) ?? 0,
    },
    notes,
  )
}

/**
 * Folds one streamed usage object into the usage seen so far. Counts come first from
 * `message_start` (`message.usage`); each later `message_delta` usage is cumulative, so every
 * field it carries replaces the earlier value, and a field it leaves out (or sends as null) keeps
 * it. Returns a new object; pass the result to `mapAnthropicUsage`.
 */
export function mergeAnthropicStreamUsage(
  seen: Record<string, unknown> | null,
  update: unknown,
): Record<string, unknown> | null {
  if (!asRecord(update)) return seen
  return mergeAnthropicStreamUsageInto({ ...seen }, update)
}

/**
 * `mergeAnthropicStreamUsage` into `target` itself, for a caller that owns its copy of the usage
 * seen so far (the SDK's stream reader, on the app's call path): no new object per event, and
 * none of the pairs `Object.entries` makes. With a null `target`, a new object (a copy of
 * `update`'s counts, never `update` itself); `target` as it was when `update` is no usage object.
 */
export function mergeAnthropicStreamUsageInto(
  target: Record<string, unknown> | null,
  update: unknown,
): Record<string, unknown> | null {
  const fields = asRecord(update)
  if (!fields) return target
  const merged = target ?? {}
  for (const field in fields) {
    const value = fields[field]
    if (value !== null && value !== undefined && Object.hasOwn(fields, field)) {
      merged[field] = value
    }
  }
  return merged
}
