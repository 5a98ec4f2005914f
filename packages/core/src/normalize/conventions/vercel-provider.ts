import { numberAt, readJsonObject } from './json-values'
import type { Attributes } from '../otlp-span'
import type { RawUsage } from '../../usage/sanitize'
import type { ReportedCost } from './convention'

/** AI SDK provider ids (`ai.model.provider`, `gen_ai.system` on legacy spans) to OTel names. */
const PROVIDER_PREFIXES: ReadonlyArray<[string, string]> = [
  ['openai', 'openai'],
  ['azure', 'azure.ai.openai'],
  ['anthropic', 'anthropic'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['google.vertex', 'gcp.vertex_ai'],
  ['vertex', 'gcp.vertex_ai'],
  ['google', 'gcp.gemini'],
  ['mistral', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['groq', 'groq'],
  ['deepseek', 'deepseek'],
  ['cohere', 'cohere'],
  ['perplexity', 'perplexity'],
  ['openrouter', 'openrouter'],
]

/** `openai.responses` -> `openai`, `amazon-bedrock` -> `aws.bedrock`; unknown ids unchanged. */
export function normalizeAiSdkProvider(value: string): string {
  const id = value.trim().toLowerCase()
  for (const [prefix, name] of PROVIDER_PREFIXES) {
    if (id === prefix || id.startsWith(`${prefix}.`) || id.startsWith(`${prefix}-`)) return name
  }
  return id
}

/**
 * Counts the AI SDK reports only inside `ai.response.providerMetadata` (a JSON string): the
 * provider's raw usage, which is what the provider billed, so it wins over the SDK's own sums.
 * Anthropic's raw `input_tokens` excludes the cache; the total input is rebuilt from its parts.
 */
export function providerMetadataUsage(attrs: Attributes): RawUsage {
  const meta = readJsonObject(attrs, 'ai.response.providerMetadata')
  if (!meta) return {}
  const out: RawUsage = {}
  const set = (field: keyof RawUsage, value: number | undefined) => {
    if (value !== undefined && out[field] === undefined) out[field] = value
  }

  const anthropicInput = numberAt(meta, ['anthropic', 'usage', 'input_tokens'])
  const anthropicRead = numberAt(meta, ['anthropic', 'usage', 'cache_read_input_tokens'])
  const anthropicWrite =
    numberAt(meta, ['anthropic', 'usage', 'cache_creation_input_tokens']) ??
    numberAt(meta, ['anthropic', 'cacheCreationInputTokens'])
  if (anthropicInput !== undefined) {
    out.inputTokens = anthropicInput + (anthropicRead ?? 0) + (anthropicWrite ?? 0)
  }
  set('outputTokens', numberAt(meta, ['anthropic', 'usage', 'output_tokens']))
  set('cacheReadTokens', anthropicRead)
  set('cacheWriteTokens', anthropicWrite)
  set(
    'cacheWrite1hTokens',
    numberAt(meta, ['anthropic', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens']),
  )

  set('cacheReadTokens', numberAt(meta, ['openai', 'cachedPromptTokens']))
  set('reasoningTokens', numberAt(meta, ['openai', 'reasoningTokens']))

  set('cacheReadTokens', numberAt(meta, ['bedrock', 'usage', 'cacheReadInputTokens']))
  set(
    'cacheWriteTokens',
    numberAt(meta, ['bedrock', 'usage', 'cacheWriteInputTokens']) ??
      numberAt(meta, ['bedrock', 'usage', 'cacheCreationInputTokens']),
  )
  return out
}

/**
 * OpenRouter's billed cost (`providerMetadata.openrouter.usage.cost`, USD): the provider's own
 * figure for the call, so the row uses it.
 */
export function openRouterCost(attrs: Attributes): ReportedCost | null {
  const meta = readJsonObject(attrs, 'ai.response.providerMetadata')
  const usd = numberAt(meta, ['openrouter', 'usage', 'cost'])
  if (usd === undefined || usd < 0) return null
  return { usd, billed: true, source: 'ai.response.providerMetadata openrouter.usage.cost' }
}
