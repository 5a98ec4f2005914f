import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COST_CASES, type CostCase } from '../packages/core/src/test-support/cost-cases'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Every cost case (shared/cases/cost-cases.md and the rest of each fault's class), sent as the
 * OTLP attributes an instrumentation following the OTel GenAI conventions emits, through a
 * running collector, and read back as the task's cost. The core unit test feeds the same cases
 * as raw provider usage; both must give the hand-worked cost to 1e-9 USD.
 */
let collector: TestCollector

function traceIdOf(index: number): string {
  return (index + 1).toString(16).padStart(32, 'c')
}

function toSpan(testCase: CostCase, index: number): JsonSpanInput {
  const start = new Date(testCase.at)
  const attributes: JsonSpanInput['attributes'] = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': testCase.requestModel,
  }
  if (testCase.provider) attributes['gen_ai.provider.name'] = testCase.provider
  if (testCase.responseModel) attributes['gen_ai.response.model'] = testCase.responseModel
  if (testCase.providerUrl) attributes['url.full'] = testCase.providerUrl
  if (testCase.serviceTier) attributes['agentmeter.service_tier'] = testCase.serviceTier
  if (testCase.source === 'provider' && testCase.costUsd !== null)
    attributes['agentmeter.cost.reported_usd'] = Number(testCase.costUsd)
  const usage = testCase.usage
  if (usage) {
    attributes['gen_ai.usage.input_tokens'] = usage.inputTokens
    attributes['gen_ai.usage.output_tokens'] = usage.outputTokens
    attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cacheReadTokens
    attributes['gen_ai.usage.cache_creation.input_tokens'] = usage.cacheWriteTokens
    attributes['agentmeter.usage.cache_write_1h_tokens'] = usage.cacheWrite1hTokens
    attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens
  }
  return {
    traceId: traceIdOf(index),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    name: `chat ${testCase.requestModel}`,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1000)),
    attributes,
  }
}

beforeAll(async () => {
  collector = await createTestCollector()
  const deployments = new Map<string, string>()
  for (const testCase of COST_CASES)
    for (const [name, base] of Object.entries(testCase.deployments ?? {}))
      deployments.set(name, base)
  for (const [deployment, baseModel] of deployments) {
    const response = await fetch(`${collector.url}/api/v1/prices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${collector.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ kind: 'deployment', deployment, baseModel }),
    })
    expect(response.status).toBe(201)
  }
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(COST_CASES.map(toSpan)),
  })
  expect(response.status).toBe(200)
  expect(await response.json()).toEqual({})
})

afterAll(async () => {
  await collector?.close()
})

interface Detail {
  task: { costUsd: number | null; unpricedCalls: number; inputTokens: number }
  spans: Array<{
    priced: boolean
    costUsd: number | null
    priceSource: string
    priceReason: string
  }>
}

describe('cost cases through a running collector', () => {
  it.each(COST_CASES.map((testCase, index) => [testCase.id, testCase, index] as const))(
    'should store %s at its exact cost',
    async (_id, testCase, index) => {
      const { status, body } = await collector.api<Detail>(
        `/api/v1/tasks/${traceIdOf(index)}?from=2025-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
      )
      expect(status).toBe(200)
      const [span] = body.spans
      if (testCase.costUsd === null) {
        expect(body.task).toMatchObject({ costUsd: null, unpricedCalls: 1 })
        expect(span).toMatchObject({ priced: false, costUsd: null })
        expect(span!.priceReason).not.toBe('')
        return
      }
      expect(body.task.unpricedCalls).toBe(0)
      expect(body.task.inputTokens).toBe(testCase.usage!.inputTokens)
      expect(Math.abs(body.task.costUsd! - Number(testCase.costUsd))).toBeLessThan(1e-9)
      expect(span).toMatchObject({ priced: true, priceSource: testCase.source ?? 'computed' })
    },
  )
})

describe('impossible usage through a running collector', () => {
  it('should store the span priced, with the correction written on the row, never failing', async () => {
    const start = new Date('2026-11-03T10:00:00.000Z')
    const traceId = 'dd'.repeat(16)
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody([
        {
          traceId,
          spanId: 'd000000000000001',
          name: 'chat claude-sonnet-4-6',
          startTimeUnixNano: toUnixNano(start),
          endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1000)),
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'anthropic',
            'gen_ai.request.model': 'claude-sonnet-4-6',
            // Anthropic's raw uncached count sent as the OTel total: below its own cache reads.
            'gen_ai.usage.input_tokens': 100,
            'gen_ai.usage.cache_read.input_tokens': 5000,
            'gen_ai.usage.output_tokens': 2.6,
            'gen_ai.usage.reasoning.output_tokens': -4,
          },
        },
      ]),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({})
    const { body } = await collector.api<{
      spans: Array<{ usage: Record<string, number>; costUsd: number; usageNotes: string[] }>
    }>(`/api/v1/tasks/${traceId}?from=2026-11-01T00:00:00Z&to=2026-11-05T00:00:00Z`)
    const [span] = body.spans
    expect(span!.usage).toMatchObject({ inputTokens: 5100, cacheReadTokens: 5000, outputTokens: 3 })
    expect(span!.usageNotes).toEqual([
      'outputTokens was 2.6, expected an integer; rounded to 3',
      'reasoningTokens was -4, expected a non-negative integer; counted as 0',
      'inputTokens (100) was below cache reads + writes (5000); read as excluding cache, total input 5100',
    ])
    // 100 × 3 + 5000 × 0.30 + 3 × 15 per million: never negative, never a doubled input.
    expect(Math.abs(span!.costUsd - 0.001845)).toBeLessThan(1e-12)
  })
})
