import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan } from './support/hotspot-spans'
import type { JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan, postSpans } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Scores as quality evidence: tasks that report a score (`agentmeter.task.score`) and no
 * outcome. extract/fields ran on gpt-4o and gpt-4o-mini, 60 tasks each, every task scored
 * 0.875 on both: recommended on the score bootstrap, no change. judge/verdict: 0.875 on gpt-4o,
 * 0.5 on gpt-4o-mini: a 37.5-point drop, not recommended. Read from the spans, then from the
 * rollups, with the same answer.
 */
let collector: TestCollector
const range = 'from=2026-11-22T00:00:00Z&to=2026-11-23T00:00:00Z'
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 1, 0, 0) + seconds * 1000)

interface Row {
  step: string
  suggestedModel: string
  status: string
  qualityBasis: string
  qualityDelta: number
  qualityDeltaInterval: [number, number]
  sample: { current: number; suggested: number }
  scoreEvidence: { method: string; current: number; suggested: number } | null
}

function spans(): JsonSpanInput[] {
  const out: JsonSpanInput[] = []
  let n = 0
  const scored = (id: string, taskName: string, step: string, model: string, score: number) => {
    const root = outcomeRootSpan(id, taskName, at(n), 'success')
    delete root.attributes['agentmeter.task.outcome']
    root.attributes['agentmeter.task.score'] = score
    out.push(root)
    const spanId = (++n).toString(16).padStart(16, '0')
    out.push(
      llmCallSpan({
        taskId: id,
        taskName,
        step,
        spanId,
        requestHash: spanId,
        at: at(n),
        model,
        input: 1000,
        output: 100,
      }),
    )
  }
  for (let i = 0; i < 60; i++) {
    scored(`ex-big-${i}`, 'extract', 'fields', 'gpt-4o', 0.875)
    scored(`ex-mini-${i}`, 'extract', 'fields', 'gpt-4o-mini', 0.875)
    scored(`ju-big-${i}`, 'judge', 'verdict', 'gpt-4o', 0.875)
    scored(`ju-mini-${i}`, 'judge', 'verdict', 'gpt-4o-mini', 0.5)
  }
  return out
}

async function observed(): Promise<Row[]> {
  const result = await collector.api<{ recommendations: Row[] }>(`/api/v1/recommendations?${range}`)
  expect(result.status).toBe(200)
  return result.body.recommendations
    .filter((row) => row.suggestedModel === 'gpt-4o-mini')
    .sort((x, y) => x.step.localeCompare(y.step))
}

let fromSpans: Row[]

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  await postSpans(collector.url, collector.apiKey, spans())
  fromSpans = await observed()
}, 120_000)

afterAll(async () => {
  await collector?.close()
})

describe('score evidence', () => {
  it('should recommend on equal scores and not on clearly lower ones, with the bootstrap', () => {
    expect(
      fromSpans.map((row) => [
        row.step,
        row.status,
        row.qualityBasis,
        row.qualityDelta,
        row.qualityDeltaInterval,
        row.sample,
        row.scoreEvidence?.method,
      ]),
    ).toEqual([
      ['fields', 'recommended', 'scores', 0, [0, 0], { current: 60, suggested: 60 }, 'bootstrap'],
      [
        'verdict',
        'not_recommended',
        'scores',
        -37.5,
        [-37.5, -37.5],
        { current: 60, suggested: 60 },
        'bootstrap',
      ],
    ])
  })

  it('should give the same answer from the rollups', async () => {
    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBeGreaterThan(0)
    expect(await observed()).toEqual(fromSpans)
  })
})
