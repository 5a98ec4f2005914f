import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan } from './support/hotspot-spans'
import type { JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan, postSpans, shadowCallSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Three steps posted as plain OTLP/JSON through the real collector:
 * - triage/classify ran on gpt-4o and gpt-4o-mini (a mixed fleet), 300 tasks each, 297
 *   successes on both: the switch is recommended on observed evidence. gpt-4o calls read 500 of
 *   their 1,000 input tokens from the cache; on gpt-4o-mini they are priced cold.
 * - report/draft ran on claude-sonnet-4-5 (196 of 200 tasks succeed) and claude-haiku-4-5 (140
 *   of 200): not recommended.
 * - faq/answer ran on gpt-4.1 only, with 200 shadow calls on gpt-4.1-mini at propensity 0.25,
 *   all as good: recommended on replay evidence.
 * Prices (genai-prices 0.1.8, per million): gpt-4o $2.50 in, $1.25 cached, $10 out; gpt-4o-mini
 * $0.15 / $0.60; gpt-4.1 $2 / $8; gpt-4.1-mini $0.40 / $1.60.
 */
const day = new Date(Date.UTC(2026, 10, 20, 0, 0, 0))
const at = (seconds: number) => new Date(day.getTime() + seconds * 1000)
const range = 'from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z'

interface Rec {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  evidence: string
  status: string
  calls: number
  currentCostUsd: number
  projectedCostUsd: number
  savingsUsd: number
  monthlySavingsUsd: number
  monthlySavingsIntervalUsd: [number, number]
  qualityDelta: number
  qualityDeltaInterval: [number, number]
  confidence: number
  sample: { current: number; suggested: number }
  neededSample: number | null
  outputRatio: number
  reason: string
}

interface Body {
  from: string
  to: string
  toleranceDrop: number
  recommendations: Rec[]
  steps: Array<{ taskName: string; step: string; models: Array<{ model: string; calls: number }> }>
}

let collector: TestCollector
let body: Body

function spans(): JsonSpanInput[] {
  const out: JsonSpanInput[] = []
  let n = 0
  const spanId = () => (++n).toString(16).padStart(16, '0')
  const task = (
    taskName: string,
    step: string,
    id: string,
    model: string,
    provider: string,
    success: boolean,
    cacheRead = 0,
  ) => {
    const at0 = at(n)
    out.push(outcomeRootSpan(id, taskName, at0, success ? 'success' : 'failure'))
    const primary = spanId()
    out.push(
      llmCallSpan({
        taskId: id,
        taskName,
        step,
        spanId: primary,
        at: at0,
        provider,
        model,
        input: 1000,
        output: 100,
        cacheRead,
        requestHash: primary,
      }),
    )
    return primary
  }
  for (let i = 0; i < 300; i++) {
    task('triage', 'classify', `c4o-${i}`, 'gpt-4o', 'openai', i >= 3, 500)
    task('triage', 'classify', `cmini-${i}`, 'gpt-4o-mini', 'openai', i >= 3)
  }
  for (let i = 0; i < 200; i++) {
    task('report', 'draft', `dson-${i}`, 'claude-sonnet-4-5', 'anthropic', i >= 4)
    task('report', 'draft', `dhai-${i}`, 'claude-haiku-4-5', 'anthropic', i >= 60)
  }
  for (let i = 0; i < 200; i++) {
    const id = `faq-${i}`
    const primary = task('faq', 'answer', id, 'gpt-4.1', 'openai', true)
    // A step in shadow mode: its real calls carry the propensity too.
    out[out.length - 1]!.attributes['agentmeter.shadow.propensity'] = 0.25
    out.push(
      shadowCallSpan(
        {
          taskId: id,
          taskName: 'faq',
          step: 'answer',
          spanId: spanId(),
          at: at(n),
          provider: 'openai',
          model: 'gpt-4.1-mini',
          input: 1000,
          output: 120,
          requestHash: primary,
        },
        { primarySpanId: primary, propensity: 0.25, score: 1 },
      ),
    )
  }
  return out
}

beforeAll(async () => {
  collector = await createTestCollector()
  await postSpans(collector.url, collector.apiKey, spans())
  const result = await collector.api<Body>(`/api/v1/recommendations?${range}`)
  expect(result.status).toBe(200)
  body = result.body
}, 120_000)

afterAll(async () => {
  await collector?.close()
})

const find = (step: string, suggested: string) =>
  body.recommendations.find((rec) => rec.step === step && rec.suggestedModel === suggested)

describe('GET /api/v1/recommendations', () => {
  it('should recommend a step that ran on two models with equal outcome rates', () => {
    const rec = find('classify', 'gpt-4o-mini')!
    expect(rec).toMatchObject({
      taskName: 'triage',
      currentModel: 'gpt-4o',
      evidence: 'observed',
      status: 'recommended',
      calls: 300,
      sample: { current: 300, suggested: 300 },
      outputRatio: 1,
    })
    // gpt-4o: 500 × 2.5e-6 + 500 × 1.25e-6 + 100 × 1e-5 = 0.002875 per call. gpt-4o-mini,
    // cold cache: 1000 × 1.5e-7 + 100 × 6e-7 = 0.00021 per call.
    expect(rec.currentCostUsd).toBeCloseTo(300 * 0.002875, 9)
    expect(rec.projectedCostUsd).toBeCloseTo(300 * 0.00021, 9)
    expect(rec.savingsUsd).toBeCloseTo(300 * (0.002875 - 0.00021), 9)
    expect(rec.monthlySavingsUsd).toBeCloseTo(30 * 300 * (0.002875 - 0.00021), 9)
    expect(rec.qualityDelta).toBeCloseTo(0, 9)
    expect(rec.qualityDeltaInterval[0]).toBeGreaterThan(-2)
    expect(rec.confidence).toBeGreaterThan(0.95)
    // Every call cost the same, so the interval has no width.
    expect(rec.monthlySavingsIntervalUsd[0]).toBeCloseTo(rec.monthlySavingsUsd, 6)
    expect(rec.monthlySavingsIntervalUsd[1]).toBeCloseTo(rec.monthlySavingsUsd, 6)
  })

  it('should scale to a month from the traffic, whatever range holds it', async () => {
    // A week more before the same day's traffic: the savings and their monthly rate stay.
    const wide = await collector.api<Body>(
      '/api/v1/recommendations?from=2026-11-13T00:00:00Z&to=2026-11-21T00:00:00Z',
    )
    const rec = find('classify', 'gpt-4o-mini')!
    const same = wide.body.recommendations.find(
      (row) => row.step === 'classify' && row.suggestedModel === 'gpt-4o-mini',
    )!
    expect(same.savingsUsd).toBe(rec.savingsUsd)
    expect(same.monthlySavingsUsd).toBe(rec.monthlySavingsUsd)
    // The same calls (all in the day's first hour) over half the day: twice the monthly rate.
    const half = await collector.api<Body>(
      '/api/v1/recommendations?from=2026-11-20T00:00:00Z&to=2026-11-20T12:00:00Z',
    )
    const halfRec = half.body.recommendations.find(
      (row) => row.step === 'classify' && row.suggestedModel === 'gpt-4o-mini',
    )!
    expect(halfRec.savingsUsd).toBe(rec.savingsUsd)
    expect(halfRec.monthlySavingsUsd).toBeCloseTo(2 * rec.monthlySavingsUsd, 9)
  })

  it('should not recommend a cheaper model whose outcome rate is clearly lower', () => {
    const rec = find('draft', 'claude-haiku-4-5')!
    expect(rec).toMatchObject({
      taskName: 'report',
      currentModel: 'claude-sonnet-4-5',
      evidence: 'observed',
      status: 'not_recommended',
      sample: { current: 200, suggested: 200 },
      neededSample: null,
    })
    expect(rec.qualityDelta).toBeCloseTo((141 / 202 - 197 / 202) * 100, 9)
    // Sonnet 4.5 $3 / $15, Haiku 4.5 $1 / $5: 1000 in and 100 out per call.
    expect(rec.savingsUsd).toBeCloseTo(200 * (0.0045 - 0.0015), 9)
  })

  it('should weigh shadow calls by their propensity as replay evidence', () => {
    const rec = find('answer', 'gpt-4.1-mini')!
    expect(rec).toMatchObject({
      taskName: 'faq',
      currentModel: 'gpt-4.1',
      evidence: 'replay',
      status: 'recommended',
      calls: 200,
      sample: { current: 200, suggested: 200 },
    })
    expect(rec.outputRatio).toBeCloseTo(1.2, 12)
    // gpt-4.1: 1000 × 2e-6 + 100 × 8e-6 = 0.0028; gpt-4.1-mini with 120 output tokens:
    // 1000 × 4e-7 + 120 × 1.6e-6 = 0.000592.
    expect(rec.currentCostUsd).toBeCloseTo(200 * 0.0028, 9)
    expect(rec.projectedCostUsd).toBeCloseTo(200 * 0.000592, 9)
    // 200 calls at weight 4: effective sample 200, all as good: Beta(201, 1).
    expect(rec.qualityDeltaInterval[0]).toBeCloseTo(-(1 - 0.05 ** (1 / 201)) * 100, 6)
  })

  it('should keep shadow calls out of the current-model clusters', () => {
    const faq = body.steps.find((step) => step.step === 'answer')!
    expect(faq.models.map((model) => [model.model, model.calls])).toEqual([['gpt-4.1', 200]])
  })

  it('should label prior-only rows and never recommend them', () => {
    const priors = body.recommendations.filter((rec) => rec.evidence === 'prior')
    expect(priors.length).toBeGreaterThan(0)
    for (const rec of priors) {
      expect(rec.status).toBe('needs_evidence')
      expect(rec.reason).toMatch(/^Prior only/)
    }
  })

  it('should sort recommended rows first by monthly savings', () => {
    const statuses = body.recommendations.map((rec) => rec.status)
    const firstOther = statuses.findIndex((status) => status !== 'recommended')
    expect(statuses.slice(0, firstOther).every((status) => status === 'recommended')).toBe(true)
    expect(statuses.slice(firstOther)).not.toContain('recommended')
    const recommended = body.recommendations.slice(0, firstOther)
    expect(recommended.map((rec) => rec.step)).toEqual(['classify', 'answer'])
  })

  it('should refuse a bad tolerance with a message naming it', async () => {
    const result = await collector.api<{ error: string }>(
      `/api/v1/recommendations?${range}&toleranceDrop=abc`,
    )
    expect(result.status).toBe(400)
    expect(result.body.error).toBe('toleranceDrop must be an integer from 0 to 50, got "abc"')
  })

  it('should be documented in the OpenAPI document with its query parameters', async () => {
    const result = await collector.api<{
      paths: Record<string, { get: { parameters: Array<{ name: string }> } }>
    }>('/api/v1/openapi.json')
    const route = result.body.paths['/api/v1/recommendations']!
    expect(route.get.parameters.map((parameter) => parameter.name)).toEqual([
      'from',
      'to',
      'taskName',
      'toleranceDrop',
      'name',
      'environment',
      'service',
      'step',
      'model',
      'provider',
      'tag',
      'clusterBy',
    ])
  })

  it('should filter by task name', async () => {
    const result = await collector.api<Body>(`/api/v1/recommendations?${range}&taskName=report`)
    expect(new Set(result.body.recommendations.map((rec) => rec.taskName))).toEqual(
      new Set(['report']),
    )
  })
})
