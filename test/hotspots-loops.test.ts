import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Loops are priced by the decisions that asked for each repetition. In `looping` an LLM call
 * comes before every repetition: two repetitions, priced at the two later calls. In `fanout`
 * one answer asked for the same tool call three times: no repetition cost a decision of its
 * own, so there is no loop waste (the one call must not be counted twice).
 * gpt-4o-mini at $0.15 / $0.60 per million: 1000 in + 100 out = $0.00021 per call.
 */
const day = new Date(Date.UTC(2026, 10, 21, 9, 0, 0))
const at = (seconds: number) => new Date(day.getTime() + seconds * 1000)
let collector: TestCollector

function call(taskId: string, spanId: string, seconds: number): JsonSpanInput {
  return llmCallSpan({
    taskId,
    taskName: taskId,
    step: 'search',
    spanId,
    at: at(seconds),
    model: 'gpt-4o-mini',
    input: 1000,
    output: 100,
    requestHash: `${spanId.slice(-8)}000000a1`,
  })
}

function search(taskId: string, spanId: string, seconds: number, result: string): JsonSpanInput {
  return toolCallSpan({
    taskId,
    taskName: taskId,
    step: 'search',
    spanId,
    at: at(seconds),
    tool: 'web_search',
    argsHash: '00000000000000c1',
    resultHash: result,
    resultTokens: 0,
  })
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  const spans = [
    taskRootSpan('looping', 'looping', at(0)),
    call('looping', '1000000000000001', 1),
    search('looping', '1000000000000002', 2, '00000000000000d1'),
    call('looping', '1000000000000003', 3),
    search('looping', '1000000000000004', 4, '00000000000000d2'),
    call('looping', '1000000000000005', 5),
    search('looping', '1000000000000006', 6, '00000000000000d3'),
    taskRootSpan('fanout', 'fanout', at(100)),
    call('fanout', '2000000000000001', 101),
    search('fanout', '2000000000000002', 102, '00000000000000e1'),
    search('fanout', '2000000000000003', 102.5, '00000000000000e2'),
    search('fanout', '2000000000000004', 103, '00000000000000e3'),
  ]
  expect(await collector.sendTraces(createOtlpJsonBody(spans))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('loop pricing', () => {
  it('should price each repetition at the call that asked for it, and never one call twice', async () => {
    const { body } = await collector.api<{ hotspots: Array<Record<string, unknown>> }>(
      '/api/v1/hotspots?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z',
    )
    const loops = body.hotspots.filter((h) => h.cause === 'loop')
    const ids = (h: Record<string, unknown>) => [...(h.exampleSpanIds as string[])].sort()
    expect(loops.map((h) => [h.taskName, h.occurrences, ids(h)])).toEqual([
      ['looping', 2, ['1000000000000003', '1000000000000005']],
    ])
    expect(Math.abs((loops[0]!.wastedUsd as number) - 2 * 0.00021)).toBeLessThan(1e-12)
  })
})
