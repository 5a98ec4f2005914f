/**
 * What each model can do, as far as routing cares: a table of ours, not the price catalog's
 * (genai-prices carries prices only). Compiled from the providers' model documentation; the
 * date below says when it was last checked, and it is re-checked with every price catalog bump.
 * A model missing here is never suggested (its capabilities are unknown), but it can still be
 * the current model of a step.
 *
 * `tier` orders models by capability within the table: 1 frontier, 2 mid-size, 3 small, 4 nano.
 * The quality prior of a switch grows with the tiers it drops (see `priorQuality`).
 */
export const CAPABILITIES_CHECKED_ON = '2026-12-04'

export interface ModelCapability {
  /** Provider id as the price catalog names it. */
  provider: string
  /** Model id as the price catalog matches it. */
  model: string
  tier: 1 | 2 | 3 | 4
  /** Input context window in tokens. */
  contextTokens: number
  tools: boolean
  structuredOutput: boolean
  vision: boolean
}

const row = (
  provider: string,
  model: string,
  tier: ModelCapability['tier'],
  contextTokens: number,
  [tools, structuredOutput, vision]: [boolean, boolean, boolean],
): ModelCapability => ({ provider, model, tier, contextTokens, tools, structuredOutput, vision })

const ALL: [boolean, boolean, boolean] = [true, true, true]
const TEXT_ONLY: [boolean, boolean, boolean] = [true, true, false]

export const MODEL_CAPABILITIES: readonly ModelCapability[] = [
  row('openai', 'gpt-5', 1, 400_000, ALL),
  row('openai', 'gpt-5-mini', 2, 400_000, ALL),
  row('openai', 'gpt-5-nano', 3, 400_000, ALL),
  row('openai', 'o3', 1, 200_000, ALL),
  row('openai', 'o4-mini', 2, 200_000, ALL),
  row('openai', 'gpt-4.1', 2, 1_047_576, ALL),
  row('openai', 'gpt-4.1-mini', 3, 1_047_576, ALL),
  row('openai', 'gpt-4.1-nano', 4, 1_047_576, ALL),
  row('openai', 'gpt-4o', 2, 128_000, ALL),
  row('openai', 'gpt-4o-mini', 3, 128_000, ALL),
  row('anthropic', 'claude-opus-4-1', 1, 200_000, ALL),
  row('anthropic', 'claude-opus-4-5', 1, 200_000, ALL),
  row('anthropic', 'claude-sonnet-4-5', 2, 200_000, ALL),
  row('anthropic', 'claude-sonnet-4', 2, 200_000, ALL),
  row('anthropic', 'claude-haiku-4-5', 3, 200_000, ALL),
  row('anthropic', 'claude-3-5-haiku', 3, 200_000, TEXT_ONLY),
  row('google', 'gemini-2.5-pro', 1, 1_048_576, ALL),
  row('google', 'gemini-2.5-flash', 2, 1_048_576, ALL),
  row('google', 'gemini-2.5-flash-lite', 3, 1_048_576, ALL),
  row('xai', 'grok-4', 1, 256_000, ALL),
  row('xai', 'grok-4-fast', 2, 2_000_000, ALL),
  row('xai', 'grok-3-mini', 3, 131_072, TEXT_ONLY),
  row('mistral', 'mistral-medium-latest', 2, 128_000, ALL),
  row('mistral', 'mistral-small-latest', 3, 128_000, ALL),
  row('deepseek', 'deepseek-chat', 2, 128_000, TEXT_ONLY),
]

/**
 * The table row of a model name as spans carry it: case, a `provider/` or `models/` prefix and
 * a date or version suffix (`-2024-07-18`, `-20250929`, `-latest`) do not matter.
 */
export function findCapability(model: string): ModelCapability | null {
  const name = model
    .trim()
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '')
  for (const entry of MODEL_CAPABILITIES) {
    if (entry.model === name || entry.model === `${name}-latest`) return entry
  }
  return null
}

/** What a step's calls used: a candidate must support all of it. */
export interface StepNeeds {
  tools: boolean
  structuredOutput: boolean
  vision: boolean
  /** The step's 99th-percentile input tokens per call. */
  p99InputTokens: number
}

/** Whether a model can take over a step, and if not, why not (for the reason line). */
export function unmetNeed(model: ModelCapability, needs: StepNeeds): string | null {
  if (needs.tools && !model.tools) return 'no tool calling'
  if (needs.structuredOutput && !model.structuredOutput) return 'no structured output'
  if (needs.vision && !model.vision) return 'no image input'
  if (model.contextTokens < needs.p99InputTokens) {
    return `context window ${model.contextTokens} below the step's p99 input ${needs.p99InputTokens}`
  }
  return null
}
