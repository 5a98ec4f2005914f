import { asRecord, finish, hasAnyField, readCount, type MappedUsage } from './count'

const FIELDS = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'cacheReadInputTokens',
  'cacheWriteInputTokens',
] as const

/**
 * Maps an AWS Bedrock Converse `usage` object. Like Anthropic's, `inputTokens` EXCLUDES the
 * cache: the total input is `inputTokens + cacheReadInputTokens + cacheWriteInputTokens`.
 * `cacheDetails` (newer responses) splits the writes by TTL (`5m`, `1h`); the 1-hour part is
 * priced at its own rate. Reasoning is inside `outputTokens`.
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapBedrockConverseUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage || !hasAnyField(usage, FIELDS)) return null

  const notes: string[] = []
  const uncached = readCount(usage, 'inputTokens', notes) ?? 0
  const cacheRead = readCount(usage, 'cacheReadInputTokens', notes) ?? 0
  let cacheWrite = readCount(usage, 'cacheWriteInputTokens', notes) ?? 0
  const output = readCount(usage, 'outputTokens', notes) ?? 0

  let oneHour = 0
  let detailed = 0
  const details = Array.isArray(usage.cacheDetails) ? usage.cacheDetails : []
  for (const entry of details) {
    const record = asRecord(entry)
    const tokens = readCount(record, 'inputTokens', notes) ?? 0
    detailed += tokens
    if (String(record?.ttl ?? '').toLowerCase() === '1h') oneHour += tokens
  }
  if (detailed > cacheWrite) {
    // The TTL split is the more detailed report; a smaller aggregate would price writes as
    // uncached input.
    notes.push(
      `cacheDetails total (${detailed}) exceeded cacheWriteInputTokens (${cacheWrite}); cache writes raised to match`,
    )
    cacheWrite = detailed
  }

  const total = readCount(usage, 'totalTokens', notes)
  const sum = uncached + cacheRead + cacheWrite + output
  if (total !== undefined && total !== sum && total !== uncached + output) {
    notes.push(
      `totalTokens (${total}) differs from input + cache + output (${sum}); the parts were kept`,
    )
  }

  return finish(
    {
      inputTokens: uncached + cacheRead + cacheWrite,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      cacheWrite1hTokens: oneHour,
    },
    notes,
  )
}
