import { picoToUsd, usdToPico } from '../../pricing/decimal'
import { asRecord, type MappedUsage } from './count'
import { mapOpenAIChatUsage } from './openai'

/** OpenRouter usage: its tokens in the OpenAI shape, plus the bill it reports for the call. */
export interface OpenRouterUsage extends MappedUsage {
  /** `usage.cost` (credits are USD) as a decimal string, or null when absent. */
  reportedCostUsd: string | null
}

/**
 * Maps an OpenRouter `usage` object: OpenAI chat counts (`prompt_tokens` includes
 * `prompt_tokens_details.cached_tokens` and `cache_write_tokens`) and `cost`, which is what
 * OpenRouter billed and wins over any computed price. With a bring-your-own-key call
 * (`is_byok`), `cost` is only OpenRouter's fee and the provider bills
 * `cost_details.upstream_inference_cost` on top, so the call cost is their sum.
 *
 * @returns null when there is no usage object (usage unknown, never zero)
 */
export function mapOpenRouterUsage(raw: unknown): OpenRouterUsage | null {
  const mapped = mapOpenAIChatUsage(raw)
  if (!mapped) return null
  const usage = asRecord(raw)!
  const notes = [...mapped.notes]
  let cost = readUsd(usage.cost, 'cost', notes)
  const upstream = readUsd(
    asRecord(usage.cost_details)?.upstream_inference_cost,
    'cost_details.upstream_inference_cost',
    notes,
  )
  if (cost !== null && usage.is_byok === true && upstream !== null) cost += upstream
  return { ...mapped, notes, reportedCostUsd: cost === null ? null : picoToUsd(cost) }
}

function readUsd(value: unknown, field: string, notes: string[]): bigint | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    notes.push(
      `${field} was ${JSON.stringify(value)}, expected a non-negative number of USD; ignored`,
    )
    return null
  }
  return usdToPico(value)
}
