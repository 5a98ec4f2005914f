import { deriveHashKey, minhashBands } from '@agentmeter/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * One task per cause, posted as plain OTLP/JSON with fingerprint attributes (any client, not
 * only our SDK), with hand-computed waste. gpt-4o: $2.50 / $10 per million; gpt-4o-mini: $0.15
 * / $0.60; claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write (5 min).
 */
const day = new Date(Date.UTC(2026, 10, 20, 10, 0, 0))
const at = (seconds: number) => new Date(day.getTime() + seconds * 1000)
const key = deriveHashKey({ hashKey: 'test-project-secret' })!
const words = Array.from({ length: 60 }, (_, i) => `word${i % 37}x${i}`)
const original = words.join(' ')
const edited = [...words.slice(0, 30), 'changed', ...words.slice(31)].join(' ')

let collector: TestCollector
let body: {
  totalWastedUsd: number
  totalSpendUsd: number
  hotspots: Array<Record<string, unknown>>
}

function spans(): JsonSpanInput[] {
  const gpt = { model: 'gpt-4o', input: 1000, output: 100 }
  return [
    taskRootSpan('t1', 'triage', at(0)),
    llmCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'classify',
      spanId: 'a000000000000001',
      at: at(1),
      ...gpt,
      requestHash: '00000000000000a1',
      responseHash: '00000000000000b1',
      temperature: 0,
    }),
    llmCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'classify',
      spanId: 'a000000000000002',
      at: at(10),
      ...gpt,
      requestHash: '00000000000000a1',
      responseHash: '00000000000000b1',
      temperature: 0,
    }),
    // Sampling twice at temperature 0.7 with different answers: intentional, not waste.
    llmCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'draft',
      spanId: 'a000000000000003',
      at: at(12),
      ...gpt,
      requestHash: '00000000000000a2',
      responseHash: '00000000000000b2',
      temperature: 0.7,
    }),
    llmCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'draft',
      spanId: 'a000000000000004',
      at: at(14),
      ...gpt,
      requestHash: '00000000000000a2',
      responseHash: '00000000000000b3',
      temperature: 0.7,
    }),
    toolCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'lookup',
      spanId: 'a000000000000005',
      at: at(20),
      tool: 'read_file',
      argsHash: '00000000000000c1',
      resultHash: '00000000000000d1',
      resultTokens: 400,
    }),
    toolCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'lookup',
      spanId: 'a000000000000006',
      at: at(30),
      tool: 'read_file',
      argsHash: '00000000000000c1',
      resultHash: '00000000000000d1',
      resultTokens: 400,
    }),
    llmCallSpan({
      taskId: 't1',
      taskName: 'triage',
      step: 'answer',
      spanId: 'a000000000000007',
      at: at(40),
      model: 'gpt-4o',
      input: 2000,
      output: 10,
      requestHash: '00000000000000a3',
    }),

    taskRootSpan('t2', 'research', at(100)),
    ...[0, 1, 2].flatMap((i) => [
      llmCallSpan({
        taskId: 't2',
        taskName: 'research',
        step: 'search',
        spanId: `b00000000000000${i}`,
        at: at(101 + i * 10),
        model: 'gpt-4o-mini',
        input: 500,
        output: 50,
        requestHash: `00000000000001a${i}`,
      }),
      toolCallSpan({
        taskId: 't2',
        taskName: 'research',
        step: 'search',
        spanId: `b00000000000001${i}`,
        at: at(105 + i * 10),
        tool: 'web_search',
        argsHash: '00000000000000c2',
        resultHash: `00000000000001d${i}`,
        resultTokens: 100,
      }),
    ]),

    taskRootSpan('t3', 'report', at(200)),
    llmCallSpan({
      taskId: 't3',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000001',
      at: at(201),
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input: 3500,
      output: 100,
      requestHash: '00000000000002a1',
      prefixHashes: ['00000000000002e1', '00000000000002e2'],
      prefixTokens: [3000, 3500],
      systemHash: '00000000000002f1',
    }),
    llmCallSpan({
      taskId: 't3',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000002',
      at: at(261),
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input: 4000,
      output: 100,
      requestHash: '00000000000002a2',
      prefixHashes: ['00000000000002e1', '00000000000002e2', '00000000000002e3'],
      prefixTokens: [3000, 3500, 4000],
      systemHash: '00000000000002f1',
    }),
    // The next turn of the same conversation, but the system prompt changed (a timestamp in
    // it): the whole 4000-token prompt of the call it continues is lost.
    llmCallSpan({
      taskId: 't3',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000003',
      at: at(300),
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      input: 4200,
      output: 100,
      requestHash: '00000000000002a3',
      prefixHashes: [
        '00000000000002e7',
        '00000000000002e8',
        '00000000000002e9',
        '00000000000002ea',
      ],
      prefixTokens: [3000, 3500, 4000, 4200],
      systemHash: '00000000000002f2',
    }),

    taskRootSpan('t4', 'triage', at(400)),
    llmCallSpan({
      taskId: 't4',
      taskName: 'triage',
      step: 'summarize',
      spanId: 'd000000000000001',
      at: at(401),
      ...gpt,
      requestHash: '00000000000003a1',
      responseHash: '00000000000003b1',
      minhash: minhashBands(key, original),
    }),
    llmCallSpan({
      taskId: 't4',
      taskName: 'triage',
      step: 'summarize',
      spanId: 'd000000000000002',
      at: at(411),
      ...gpt,
      requestHash: '00000000000003a2',
      responseHash: '00000000000003b1',
      minhash: minhashBands(key, edited),
    }),
  ]
}

beforeAll(async () => {
  collector = await createTestCollector()
  expect(await collector.sendTraces(createOtlpJsonBody(spans()))).toBe(200)
  const result = await collector.api<typeof body>(
    '/api/v1/hotspots?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z',
  )
  expect(result.status, JSON.stringify(result.body)).toBe(200)
  body = result.body
}, 60_000)

afterAll(async () => {
  await collector?.close()
})

function find(cause: string, detail?: string) {
  return body.hotspots.filter(
    (hotspot) => hotspot.cause === cause && (detail === undefined || hotspot.detail === detail),
  )
}

describe('GET /api/v1/hotspots', () => {
  it('should price the exact duplicate and leave the resample out', () => {
    const [duplicate, ...others] = find('duplicate_llm_call')
    expect(others).toEqual([])
    expect(duplicate).toMatchObject({
      taskName: 'triage',
      step: 'classify',
      model: 'gpt-4o',
      occurrences: 1,
      exampleTaskIds: ['t1'],
      exampleSpanIds: ['a000000000000002'],
    })
    expect(duplicate!.wastedUsd).toBeCloseTo(0.0035, 9)
  })

  it('should price a repeated tool call by the tokens later calls carry again', () => {
    const [repeat, ...others] = find('repeated_tool_call')
    expect(others).toEqual([])
    expect(repeat).toMatchObject({ tool: 'read_file', step: 'lookup', occurrences: 1 })
    // 400 result tokens at gpt-4o's $2.50 per million, carried by one later call.
    expect(repeat!.wastedUsd).toBeCloseTo(0.001, 9)
  })

  it('should price a loop by the calls that asked for each repetition', () => {
    const [loop, ...others] = find('loop')
    expect(others).toEqual([])
    expect(loop).toMatchObject({ tool: 'web_search', step: 'search', occurrences: 2 })
    expect(loop!.wastedUsd).toBeCloseTo(2 * (500 * 0.15e-6 + 50 * 0.6e-6), 9)
  })

  it('should find the uncached shared prefix net of the write premium', () => {
    const [missed, ...others] = find('missed_prompt_cache', 'unused_cache')
    expect(others).toEqual([])
    expect(missed).toMatchObject({ model: 'claude-sonnet-4-5', occurrences: 1 })
    expect(missed!.wastedUsd).toBeCloseTo(3500 * (3 - 0.3) * 1e-6 - 3500 * 0.75e-6, 9)
  })

  it('should name the system prompt as the cache breaker', () => {
    const [breaker, ...others] = find('missed_prompt_cache', 'system')
    expect(others).toEqual([])
    expect(breaker).toMatchObject({ occurrences: 1, exampleSpanIds: ['c000000000000003'] })
    expect(breaker!.wastedUsd).toBeCloseTo(4000 * (3 - 0.3) * 1e-6, 9)
    expect(breaker!.fix).toMatch(/system prompt/)
  })

  it('should cluster the one-word edit with its original', () => {
    const [near, ...others] = find('near_duplicate_prompt')
    expect(others).toEqual([])
    expect(near).toMatchObject({ step: 'summarize', occurrences: 1, exampleTaskIds: ['t4'] })
    expect(near!.wastedUsd).toBeCloseTo(0.0035, 9)
  })

  it('should total and rank the waste', () => {
    const wasted = body.hotspots.map((hotspot) => hotspot.wastedUsd as number)
    expect(wasted).toEqual([...wasted].sort((a, b) => b - a))
    expect(body.totalWastedUsd).toBeCloseTo(
      wasted.reduce((sum, value) => sum + value, 0),
      9,
    )
    expect(body.hotspots).toHaveLength(6)
  })
})
