/**
 * Test support shared by the convention tests: one span builder and the calls every convention
 * is checked against, each with its exact usage and cost, so that all conventions are held to
 * the same numbers.
 */

import type { SpanRow } from '../../span/row'
import type { Usage } from '../../usage/usage'
import { normalizeSpan } from '../normalize-span'
import type { Attributes, OtlpSpan } from '../otlp-span'

export function createTestSpan(
  overrides: Partial<OtlpSpan> & { attributes: Attributes },
): OtlpSpan {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: 'a3ce929d0e0e4736',
    name: 'span',
    kind: 3,
    startTimeUnixNano: '1764835200000000000',
    endTimeUnixNano: '1764835201000000000',
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: { 'service.name': 'support-bot' },
    scopeName: '',
    scopeVersion: '',
    ...overrides,
  }
}

export function normalizeTestSpan(
  overrides: Partial<OtlpSpan> & { attributes: Attributes },
): SpanRow {
  return normalizeSpan(createTestSpan(overrides), { projectId: 'p1' })
}

export interface Scenario {
  usage: Usage
  costUsd: string
}

/**
 * claude-sonnet-4 with 1000 uncached, 2000 cache-read and 3000 cache-written input tokens
 * (1000 of them with the 1-hour TTL), 500 output of which 200 thinking:
 * 1000 × $3 + 2000 × $0.30 + 2000 × $3.75 + 1000 × $6 + 500 × $15, per million.
 */
export const ANTHROPIC_CACHE_1H: Scenario = {
  usage: {
    inputTokens: 6000,
    outputTokens: 500,
    cacheReadTokens: 2000,
    cacheWriteTokens: 3000,
    cacheWrite1hTokens: 1000,
    reasoningTokens: 200,
  },
  costUsd: '0.024600000000',
}

/** As above with every write at the 5-minute TTL: 3000 × $3.75 instead. */
export const ANTHROPIC_CACHE: Scenario = {
  usage: { ...ANTHROPIC_CACHE_1H.usage, cacheWrite1hTokens: 0 },
  costUsd: '0.022350000000',
}

/**
 * o4-mini with 1000 input tokens of which 400 cached, 800 output of which 600 reasoning:
 * 600 × $1.10 + 400 × $0.275 + 800 × $4.40, per million.
 */
export const OPENAI_REASONING: Scenario = {
  usage: {
    inputTokens: 1000,
    outputTokens: 800,
    cacheReadTokens: 400,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 600,
  },
  costUsd: '0.004290000000',
}

/** text-embedding-3-small, 5000 tokens at $0.02 per million. */
export const EMBEDDING: Scenario = {
  usage: {
    inputTokens: 5000,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  },
  costUsd: '0.000100000000',
}

/** What a billed row of a scenario must hold, whatever the convention. */
export function billed(scenario: Scenario) {
  return {
    usage: scenario.usage,
    cost: expectCost(scenario.costUsd),
  }
}

function expectCost(costUsd: string) {
  return { priced: true, costUsd, source: 'computed' }
}

/** An aggregate parent: not billed, its totals kept apart as `aggregate_*`. */
export function aggregate(input: number, output: number) {
  return {
    usage: null,
    usageExtra: { aggregate_input_tokens: input, aggregate_output_tokens: output },
    cost: { priced: false, costUsd: null },
  }
}
