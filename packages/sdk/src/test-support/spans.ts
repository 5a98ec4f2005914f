import type { Attributes } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'

/** The usage attributes of an LLM span, all six, as the collector reads them. */
export function usageAttributes(usage: {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
  reasoning?: number
  cacheWrite1h?: number
}): Attributes {
  return {
    'gen_ai.usage.input_tokens': usage.input,
    'gen_ai.usage.output_tokens': usage.output,
    'gen_ai.usage.cache_read.input_tokens': usage.cacheRead ?? 0,
    'gen_ai.usage.cache_creation.input_tokens': usage.cacheWrite ?? 0,
    'gen_ai.usage.reasoning.output_tokens': usage.reasoning ?? 0,
    'agentmeter.usage.cache_write_1h_tokens': usage.cacheWrite1h ?? 0,
  }
}

/** The span's attributes without the cost, which tests compare to 1e-9 USD on their own. */
export function withoutCost(span: ReadableSpan): Attributes {
  const { 'agentmeter.cost.usd': _cost, ...rest } = span.attributes
  return rest
}

/** Sums one numeric attribute over spans (to check that usage is counted once per call). */
export function sumAttribute(spans: readonly ReadableSpan[], key: string): number {
  return spans.reduce((sum, span) => {
    const value = span.attributes[key]
    return sum + (typeof value === 'number' ? value : 0)
  }, 0)
}
