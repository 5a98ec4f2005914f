import { asRecord, finish, hasAnyField, readCount, type MappedUsage } from './count'

const CHAT_FIELDS = ['prompt_tokens', 'completion_tokens', 'total_tokens'] as const
const RESPONSES_FIELDS = ['input_tokens', 'output_tokens', 'total_tokens'] as const

/**
 * Maps a Chat Completions `usage` object (OpenAI and OpenAI-compatible servers).
 *
 * `prompt_tokens` includes `prompt_tokens_details.cached_tokens`. OpenAI counts reasoning inside
 * `completion_tokens`, but xAI and some compatible servers count it outside: that shows as
 * `total_tokens == prompt + completion + reasoning`, and then the billed output is
 * `completion + reasoning`. OpenRouter's `prompt_tokens_details.cache_write_tokens` is a cache
 * write inside `prompt_tokens`.
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapOpenAIChatUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage || !hasAnyField(usage, CHAT_FIELDS)) return null

  const notes: string[] = []
  const promptDetails = asRecord(usage.prompt_tokens_details)
  const completionDetails = asRecord(usage.completion_tokens_details)
  const prompt = requiredCount(usage, 'prompt_tokens', notes)
  const completion = requiredCount(usage, 'completion_tokens', notes)
  const total = readCount(usage, 'total_tokens', notes)
  const reasoning = readCount(completionDetails, 'reasoning_tokens', notes) ?? 0

  return finish(
    {
      inputTokens: prompt,
      outputTokens: outputWithReasoning(prompt, completion, reasoning, total, notes),
      cacheReadTokens: readCount(promptDetails, 'cached_tokens', notes) ?? 0,
      cacheWriteTokens: readCount(promptDetails, 'cache_write_tokens', notes) ?? 0,
      reasoningTokens: reasoning,
    },
    notes,
  )
}

/**
 * Maps a Responses API `usage` object: `input_tokens` includes
 * `input_tokens_details.cached_tokens` and `output_tokens` includes
 * `output_tokens_details.reasoning_tokens`, with the same check for compatible servers that
 * count reasoning outside the output.
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapOpenAIResponsesUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage || !hasAnyField(usage, RESPONSES_FIELDS)) return null

  const notes: string[] = []
  const input = requiredCount(usage, 'input_tokens', notes)
  const output = requiredCount(usage, 'output_tokens', notes)
  const total = readCount(usage, 'total_tokens', notes)
  const reasoning = readCount(asRecord(usage.output_tokens_details), 'reasoning_tokens', notes) ?? 0

  return finish(
    {
      inputTokens: input,
      outputTokens: outputWithReasoning(input, output, reasoning, total, notes),
      cacheReadTokens: readCount(asRecord(usage.input_tokens_details), 'cached_tokens', notes) ?? 0,
      reasoningTokens: reasoning,
    },
    notes,
  )
}

/** Maps either OpenAI usage shape, told apart by its field names. */
export function mapOpenAIUsage(raw: unknown): MappedUsage | null {
  const usage = asRecord(raw)
  if (!usage) return null
  if (hasAnyField(usage, ['input_tokens', 'output_tokens'])) return mapOpenAIResponsesUsage(usage)
  return mapOpenAIChatUsage(usage)
}

/** A count OpenAI always sends: its absence is worth a note, and it counts as 0. */
function requiredCount(usage: Record<string, unknown>, field: string, notes: string[]): number {
  const value = readCount(usage, field, notes)
  if (value !== undefined) return value
  notes.push(`${field} was missing; counted as 0`)
  return 0
}

function outputWithReasoning(
  input: number,
  output: number,
  reasoning: number,
  total: number | undefined,
  notes: string[],
): number {
  if (reasoning > 0 && total === input + output + reasoning) {
    notes.push(
      `total_tokens (${total}) = input + output + reasoning: reasoning read as outside the output, total output ${output + reasoning}`,
    )
    return output + reasoning
  }
  return output
}
