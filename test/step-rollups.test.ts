import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRecommendations } from '../apps/collector/src/store/queries/recommendations'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan } from './support/hotspot-spans'
import type { JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan, postSpans, shadowCallSpan } from './support/recommendation-spans'
import { priceAndReprice } from './support/reprice'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The recommender's step rollups against the spans they summarize, as `rollups.test.ts` does
 * for the task views. Four whole hours of 2026-11-20 hold:
 * - triage/classify on gpt-4o (system prompt A) and gpt-4o-mini (prompt B), 80 tasks each,
 *   every eighth task's root at hh:59:59 and its call in the next hour, every tenth task's call
 *   sent twice (a retry, all on gpt-4o), every fifth with 40,000 input tokens (the second input
 *   band), and ten gpt-4o-mini tasks failed;
 * - faq/answer on gpt-4.1 in shadow mode with 40 shadow calls on gpt-4.1-mini, each pair split
 *   over an hour boundary;
 * - report/draft on a model with no price until the test adds one and reprices.
 * Every answer (all clusters, a task name, the cluster keys, an Explore filter, a range with
 * partial hours) must be the same from the spans alone and from the rollups, through duplicate
 * deliveries, a late span, an unsettled hour and a reprice.
 */
let collector: TestCollector
let projectId: string
const FROM = '2026-11-20T00:00:00Z'
const TO = '2026-11-20T06:00:00Z'
const RANGE = `from=${FROM}&to=${TO}`
const base = Date.UTC(2026, 10, 20, 1, 0, 0)
const at = (seconds: number) => new Date(base + seconds * 1000)

const ENDPOINTS = [
  `/api/v1/recommendations?${RANGE}`,
  `/api/v1/recommendations?${RANGE}&taskName=triage`,
  `/api/v1/recommendations?${RANGE}&clusterBy=promptHash,inputBand`,
  `/api/v1/recommendations?${RANGE}&clusterBy=inputBand&toleranceDrop=5`,
  `/api/v1/recommendations?${RANGE}&model=gpt-4o-mini`,
  `/api/v1/recommendations?from=2026-11-20T01:30:00Z&to=2026-11-20T04:10:00Z`,
]

function workload(): JsonSpanInput[] {
  const out: JsonSpanInput[] = []
  let n = 0
  const spanId = () => (++n).toString(16).padStart(16, '0')
  for (let i = 0; i < 160; i++) {
    const big = i % 2 === 0 ? 'gpt-4o' : 'gpt-4o-mini'
    const id = `tri-${i}`
    // Spread over 01:00-04:39; every eighth root just before its hour ends, its call after.
    const start = (i % 4) * 3600 + (i % 8 === 3 ? 3599 : Math.floor(i / 4) * 60)
    out.push(outcomeRootSpan(id, 'triage', at(start), i % 16 === 5 ? 'failure' : 'success'))
    const call = {
      taskId: id,
      taskName: 'triage',
      step: 'classify',
      at: at(start + (i % 8 === 3 ? 2 : 1)),
      provider: 'openai',
      model: big,
      input: i % 5 === 0 ? 40_000 : 1000 + i,
      output: 100 + (i % 7),
      cacheRead: i % 3 === 0 ? 200 : 0,
      systemHash: big === 'gpt-4o' ? '00000000000000a1' : '00000000000000b2',
    }
    const first = spanId()
    out.push(llmCallSpan({ ...call, spanId: first, requestHash: first }))
    if (i % 10 === 0) out.push(llmCallSpan({ ...call, spanId: spanId(), requestHash: first }))
  }
  for (let i = 0; i < 40; i++) {
    const id = `faq-${i}`
    const start = ((i % 3) + 1) * 3600 - 1
    out.push(outcomeRootSpan(id, 'faq', at(start - 5), 'success'))
    const primary = spanId()
    const call = {
      taskId: id,
      taskName: 'faq',
      step: 'answer',
      at: at(start),
      provider: 'openai',
      model: 'gpt-4.1',
      input: 900,
      output: 80,
      requestHash: primary,
    }
    const real = llmCallSpan({ ...call, spanId: primary })
    real.attributes['agentmeter.shadow.propensity'] = 0.25
    out.push(real)
    const shadowAt = at(start + 2)
    out.push(
      shadowCallSpan(
        { ...call, at: shadowAt, spanId: spanId(), model: 'gpt-4.1-mini', output: 90 },
        { primarySpanId: primary, propensity: 0.25, score: i % 20 === 0 ? 0 : 1 },
      ),
    )
  }
  for (let i = 0; i < 30; i++) {
    const id = `rep-${i}`
    out.push(outcomeRootSpan(id, 'report', at(3 * 3600 + i * 60), 'success'))
    const first = spanId()
    out.push(
      llmCallSpan({
        taskId: id,
        taskName: 'report',
        step: 'draft',
        spanId: first,
        requestHash: first,
        at: at(3 * 3600 + i * 60 + 1),
        model: 'not-a-known-model-r',
        input: 2000,
        output: 400,
      }),
    )
  }
  return out
}

async function answers(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const path of ENDPOINTS) {
    const { status, body } = await collector.api(path)
    expect(status, path).toBe(200)
    out[path] = body
  }
  return out
}

/**
 * The step clusters of the first endpoint with every hour read from the spans (the store's own
 * switch); the recommendations beside them depend on the project's price book as well.
 */
async function spansOnly(): Promise<unknown> {
  const result = await queryRecommendations(collector.client, {
    projectId,
    range: parseTimeRange(FROM, TO),
    tolerance: 2,
    useRollups: false,
  })
  return JSON.parse(JSON.stringify(result.steps))
}

async function currentHours(): Promise<number> {
  return (await planRange(collector.client, projectId, parseTimeRange(FROM, TO))).freshHours.length
}

let fromSpans: Record<string, unknown>

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await postSpans(collector.url, collector.apiKey, workload())
  fromSpans = await answers()
}, 120_000)

afterAll(async () => {
  await collector?.close()
})

interface Model {
  model: string
  calls: number
  retryRate: number
  tasksWithOutcome: number
  successRate: number
}
interface Body {
  recommendations: Array<{
    suggestedModel: string
    evidence: string
    sample: { suggested: number }
  }>
  steps: Array<{
    taskName: string
    step: string
    promptHash?: string | null
    inputBand?: { overTokens: number; upToTokens: number | null }
    models: Model[]
  }>
}

describe('step rollups', () => {
  it('should read from the spans while no hour is refreshed, with exact figures', async () => {
    expect(await currentHours()).toBe(0)
    const body = fromSpans[ENDPOINTS[0]!] as Body
    const triage = body.steps.find((step) => step.step === 'classify')!
    // 80 tasks per model; 16 gpt-4o tasks sent their call twice; tasks with i % 16 = 5 failed.
    expect(triage.models.map((m) => [m.model, m.calls, m.retryRate, m.tasksWithOutcome])).toEqual([
      ['gpt-4o', 96, 16 / 96, 80],
      ['gpt-4o-mini', 80, 0, 80],
    ])
    expect(triage.models.map((m) => m.successRate)).toEqual([1, 70 / 80])
    const faq = body.recommendations.find((row) => row.suggestedModel === 'gpt-4.1-mini')!
    expect([faq.evidence, faq.sample.suggested]).toEqual(['replay', 40])
    const split = fromSpans[ENDPOINTS[2]!] as Body
    expect(
      split.steps
        .filter((step) => step.step === 'classify')
        .map((step) => [step.promptHash, step.inputBand?.overTokens, step.models[0]!.calls])
        .sort(),
    ).toEqual([
      ['00000000000000a1', 0, 64],
      ['00000000000000a1', 32_000, 32],
      ['00000000000000b2', 0, 64],
      ['00000000000000b2', 32_000, 16],
    ])
    const filtered = fromSpans[ENDPOINTS[4]!] as Body
    expect(filtered.steps.map((step) => [step.step, step.models.map((m) => m.model)])).toEqual([
      ['classify', ['gpt-4o-mini']],
    ])
    expect((fromSpans[ENDPOINTS[0]!] as Body).steps).toEqual(await spansOnly())
  })

  it('should give the same answers from the rollups once refreshed', async () => {
    expect(await collector.rollups.refreshNow({ settleMillis: 0 })).toEqual({
      hours: 5,
      remaining: 0,
    })
    // Hours 01 to 05 have spans and are whole inside the range.
    expect(await currentHours()).toBe(5)
    const rows = await collector.client.query({
      query: `SELECT toString(sum(p_calls)) AS calls FROM step_arm_hours WHERE project_id = {p:String}`,
      query_params: { p: projectId },
      format: 'JSONEachRow',
    })
    expect(await rows.json()).toEqual([{ calls: String(96 + 80 + 40 + 30) }])
    expect(await answers()).toEqual(fromSpans)
  })

  it('should count spans delivered twice once, before and after the refresh', async () => {
    const spans = workload()
    await postSpans(collector.url, collector.apiKey, spans.slice(200), 97)
    await postSpans(collector.url, collector.apiKey, spans.slice(0, 200), 61)
    expect(await currentHours()).toBe(0)
    expect(await answers()).toEqual(fromSpans)
    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(5)
    expect(await currentHours()).toBe(5)
    expect(await answers()).toEqual(fromSpans)
  })

  it('should take in a late span at once, and into the rollup once settled', async () => {
    // A late gpt-4o call of tri-5 (a failed gpt-4o-mini task, so far all in hour 02), in hour
    // 04: hour 04 reads from the spans, and tri-5's outcome leaves hour 02's outcome parts.
    const late = llmCallSpan({
      taskId: 'tri-5',
      taskName: 'triage',
      step: 'classify',
      spanId: 'ffff00000000000a',
      requestHash: 'ffff00000000000a',
      at: at(3 * 3600 + 30),
      provider: 'openai',
      model: 'gpt-4o',
      input: 1000,
      output: 100,
    })
    await postSpans(collector.url, collector.apiKey, [late])
    expect(await collector.rollups.refreshNow({ settleMillis: 3_600_000 })).toEqual({
      hours: 0,
      remaining: 0,
    })
    expect(await currentHours()).toBe(4)
    const now = await answers()
    const triage = (now[ENDPOINTS[0]!] as Body).steps.find((step) => step.step === 'classify')!
    // tri-5 failed and now ran classify on gpt-4o too: 81 tasks, one of them failed.
    expect(triage.models.map((m) => [m.model, m.calls, m.tasksWithOutcome])).toEqual([
      ['gpt-4o', 97, 81],
      ['gpt-4o-mini', 80, 80],
    ])
    expect((now[ENDPOINTS[0]!] as Body).steps).toEqual(await spansOnly())
    // Refreshing hour 04 finds tri-5 split, and withdraws hour 02, where it was local.
    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(1)
    expect(await currentHours()).toBe(4)
    expect(await answers()).toEqual(now)
    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(1)
    expect(await currentHours()).toBe(5)
    expect(await answers()).toEqual(now)
    const split = await collector.client.query({
      query: `SELECT toString(hour) AS hour, p_split FROM step_task_hours FINAL
        WHERE project_id = {p:String} AND task_id = 'tri-5' ORDER BY hour`,
      query_params: { p: projectId },
      format: 'JSONEachRow',
    })
    expect(await split.json()).toEqual([
      { hour: '2026-11-20 02:00:00', p_split: 1 },
      { hour: '2026-11-20 04:00:00', p_split: 1 },
    ])
    fromSpans = now
  })

  it('should show a reprice at once and carry it into the rollups when refreshed', async () => {
    expect(
      await priceAndReprice(collector, 'not-a-known-model-r', { from: FROM, to: TO }),
    ).toMatchObject({ changed: 30 })
    expect(await currentHours()).toBe(4)
    const repriced = await answers()
    const report = (repriced[ENDPOINTS[0]!] as Body).steps.find((step) => step.step === 'draft')!
    // 30 calls of 2,000 in at $1 and 400 out at $2 per million: 30 × 0.0028.
    expect(
      report.models.map((m) => [m.model, m.calls, (m as { spendUsd?: number }).spendUsd]),
    ).toEqual([['not-a-known-model-r', 30, 0.084]])
    expect((repriced[ENDPOINTS[0]!] as Body).steps).toEqual(await spansOnly())
    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(1)
    expect(await currentHours()).toBe(5)
    expect(await answers()).toEqual(repriced)
  })
})
