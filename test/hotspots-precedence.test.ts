import { deriveHashKey, minhashBands } from '@agentmeter/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan } from './support/hotspot-spans'
import { createOtlpJsonBody } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Each wasted dollar counts once, and the Explore filters select the tasks hotspots search.
 *
 * - `report`: call 2 continues call 1 with the system prompt rewritten (a cache breaker of
 *   call 1's prompt), and its last message is a one-word edit of call 1's with the same answer
 *   (a near duplicate). It is priced once, whole,
 *   as the near duplicate; its lost cache is part of that cost, so there is no breaker row.
 * - `lookup`: call 2 repeats call 1 exactly (an exact duplicate) and its 2000-token prefix was
 *   seen 10 s before (a missed prompt cache). Priced once, whole, as the duplicate.
 * - `staging`: an exact gpt-4o duplicate in another environment, for the filters.
 *
 * claude-sonnet-4-5: $3 input, $15 output per million; gpt-4o: $2.50 / $10.
 */
const day = new Date(Date.UTC(2026, 10, 22, 8, 0, 0))
const at = (seconds: number) => new Date(day.getTime() + seconds * 1000)
const key = deriveHashKey({ hashKey: 'precedence-secret' })!
const words = Array.from({ length: 60 }, (_, i) => `term${i % 31}y${i}`)
const original = words.join(' ')
const edited = [...words.slice(0, 20), 'other', ...words.slice(21)].join(' ')
const claude = { provider: 'anthropic', model: 'claude-sonnet-4-5', output: 100 }
const RANGE = 'from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z'

interface Body {
  totalWastedUsd: number
  totalSpendUsd: number
  wastedShare: number | null
  hotspots: Array<{
    cause: string
    taskName: string
    detail: string
    wastedUsd: number
    occurrences: number
    exampleSpanIds: string[]
  }>
}

let collector: TestCollector

async function post(body: string): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body,
  })
  expect(response.status).toBe(200)
}

async function hotspots(query = ''): Promise<Body> {
  const result = await collector.api<Body>(`/api/v1/hotspots?${RANGE}${query}`)
  expect(result.status, JSON.stringify(result.body)).toBe(200)
  return result.body
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  const production = [
    taskRootSpan('report', 'report', at(0)),
    llmCallSpan({
      ...claude,
      taskId: 'report',
      taskName: 'report',
      step: 'write',
      spanId: 'e000000000000001',
      at: at(1),
      input: 3500,
      requestHash: '00000000000005a1',
      responseHash: '00000000000005b1',
      prefixHashes: ['00000000000005e1', '00000000000005e2'],
      prefixTokens: [3000, 3500],
      systemHash: '00000000000005f1',
      minhash: minhashBands(key, original),
    }),
    llmCallSpan({
      ...claude,
      taskId: 'report',
      taskName: 'report',
      step: 'write',
      spanId: 'e000000000000002',
      at: at(60),
      input: 3600,
      requestHash: '00000000000005a2',
      responseHash: '00000000000005b1',
      prefixHashes: ['00000000000005e7', '00000000000005e8', '00000000000005e9'],
      prefixTokens: [3000, 3500, 3600],
      systemHash: '00000000000005f2',
      minhash: minhashBands(key, edited),
    }),
    taskRootSpan('lookup', 'lookup', at(200)),
    ...[1, 2].map((n) =>
      llmCallSpan({
        ...claude,
        taskId: 'lookup',
        taskName: 'lookup',
        step: 'fetch',
        spanId: `e00000000000010${n}`,
        at: at(200 + n * 10),
        input: 2000,
        requestHash: '00000000000006a1',
        responseHash: '00000000000006b1',
        prefixHashes: ['00000000000006e1'],
        prefixTokens: [2000],
        temperature: 0,
      }),
    ),
  ]
  const staging = [
    taskRootSpan('staging', 'lookup', at(400)),
    ...[1, 2].map((n) =>
      llmCallSpan({
        taskId: 'staging',
        taskName: 'lookup',
        step: 'fetch',
        spanId: `e00000000000020${n}`,
        at: at(400 + n * 10),
        model: 'gpt-4o',
        input: 1000,
        output: 100,
        requestHash: '00000000000007a1',
        responseHash: '00000000000007b1',
        temperature: 0,
      }),
    ),
  ]
  await post(createOtlpJsonBody(production, 'agent', { 'deployment.environment.name': 'prod' }))
  await post(createOtlpJsonBody(staging, 'agent', { 'deployment.environment.name': 'staging' }))
}, 60_000)

afterAll(async () => {
  await collector?.close()
})

const reportCall2 = 3600 * 3e-6 + 100 * 15e-6
const lookupCall = 2000 * 3e-6 + 100 * 15e-6
const stagingCall = 1000 * 2.5e-6 + 100 * 10e-6
const reportSpend = 3500 * 3e-6 + 100 * 15e-6 + reportCall2

describe('hotspot precedence: each wasted dollar once', () => {
  it('should price a near duplicate that also broke the cache once, whole', async () => {
    const body = await hotspots()
    const report = body.hotspots.filter((hotspot) => hotspot.taskName === 'report')
    expect(report.map(({ cause, detail }) => ({ cause, detail }))).toEqual([
      { cause: 'near_duplicate_prompt', detail: 'same_answer' },
    ])
    expect(report[0]!.wastedUsd).toBeCloseTo(reportCall2, 9)
    expect(report[0]!.exampleSpanIds).toEqual(['e000000000000002'])
  })

  it('should price an exact duplicate whose prefix was also uncached once, whole', async () => {
    const body = await hotspots('&environment=prod')
    const lookup = body.hotspots.filter((hotspot) => hotspot.taskName === 'lookup')
    expect(lookup.map(({ cause, detail }) => ({ cause, detail }))).toEqual([
      { cause: 'duplicate_llm_call', detail: 'deterministic' },
    ])
    expect(lookup[0]!.wastedUsd).toBeCloseTo(lookupCall, 9)
    expect(body.totalWastedUsd).toBeCloseTo(reportCall2 + lookupCall, 9)
    expect(body.totalSpendUsd).toBeCloseTo(reportSpend + 2 * lookupCall, 9)
    const shares = body.hotspots.reduce((sum, hotspot) => sum + hotspot.wastedUsd, 0)
    expect(shares).toBeCloseTo(body.totalWastedUsd, 9)
  })
})

describe('hotspot filters', () => {
  it('should search only the tasks of the environment', async () => {
    const body = await hotspots('&environment=staging')
    expect(
      body.hotspots.map(({ cause, taskName, occurrences }) => ({ cause, taskName, occurrences })),
    ).toEqual([{ cause: 'duplicate_llm_call', taskName: 'lookup', occurrences: 1 }])
    expect(body.hotspots[0]!.exampleSpanIds).toEqual(['e000000000000202'])
    expect(body.totalWastedUsd).toBeCloseTo(stagingCall, 9)
    expect(body.totalSpendUsd).toBeCloseTo(2 * stagingCall, 9)
    expect(body.wastedShare).toBe(0.5)
  })

  it('should select tasks by model, task name and tag as every read route does', async () => {
    const byModel = await hotspots('&model=claude-sonnet-4-5')
    expect(byModel.hotspots.map((hotspot) => hotspot.taskName).sort()).toEqual(['lookup', 'report'])
    expect(byModel.totalSpendUsd).toBeCloseTo(reportSpend + 2 * lookupCall, 9)
    const byName = await hotspots('&name=lookup')
    const named = byName.hotspots.map((hotspot) => hotspot.wastedUsd)
    expect(named).toHaveLength(2)
    expect(named[0]).toBeCloseTo(lookupCall, 9)
    expect(named[1]).toBeCloseTo(stagingCall, 9)
    const byTag = await hotspots('&tag=deployment.environment.name%3Dstaging')
    expect(byTag.totalWastedUsd).toBeCloseTo(stagingCall, 9)
    const none = await hotspots('&provider=nobody')
    expect(none).toEqual({ totalWastedUsd: 0, totalSpendUsd: 0, wastedShare: null, hotspots: [] })
  })

  it('should refuse a malformed tag and name the field', async () => {
    const result = await collector.api<{ error: string }>(`/api/v1/hotspots?${RANGE}&tag=team`)
    expect(result.status).toBe(400)
    expect(result.body.error).toMatch(/tag must be an attribute key and value/)
  })
})
