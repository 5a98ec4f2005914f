import { asRecord, finish, hasAnyField, readCount, type MappedUsage } from './count'

const FIELDS = [
  'promptTokenCount',
  'candidatesTokenCount',
  'thoughtsTokenCount',
  'totalTokenCount',
] as const

/**
 * Maps a Gemini `usageMetadata` object. `promptTokenCount` includes `cachedContentTokenCount`;
 * `toolUsePromptTokenCount` is input on top of the prompt; `thoughtsTokenCount` is OUTSIDE
 * `candidatesTokenCount` and billed as output. Gemini omits fields that are zero, so a missing
 * count is 0 here.
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapGeminiUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage || !hasAnyField(usage, FIELDS)) return null

  const notes: string[] = []
  const prompt = readCount(usage, 'promptTokenCount', notes) ?? 0
  const toolUsePrompt = readCount(usage, 'toolUsePromptTokenCount', notes) ?? 0
  const candidates = readCount(usage, 'candidatesTokenCount', notes) ?? 0
  const thoughts = readCount(usage, 'thoughtsTokenCount', notes) ?? 0
  const total = readCount(usage, 'totalTokenCount', notes)
  const input = prompt + toolUsePrompt
  const output = candidates + thoughts
  if (total !== undefined && total !== input + output) {
    notes.push(
      `totalTokenCount (${total}) differs from input + output (${input + output}); the parts were kept`,
    )
  }

  return finish(
    {
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: readCount(usage, 'cachedContentTokenCount', notes) ?? 0,
      reasoningTokens: thoughts,
    },
    notes,
  )
}

/**
 * Usage of a streamed response: every chunk repeats the cumulative `usageMetadata`, so the last
 * chunk that has one wins, and the chunks are never summed.
 *
 * @returns null when no chunk carried usage
 */
export function mapGeminiStreamUsage(chunks: readonly unknown[]): MappedUsage | null {
  for (let i = chunks.length - 1; i >= 0; i--) {
    const usage = asRecord(chunks[i])?.usageMetadata
    if (usage !== undefined && usage !== null) return mapGeminiUsage(usage)
  }
  return null
}
