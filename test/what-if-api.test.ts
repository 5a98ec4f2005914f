import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { whatIfSpans } from './support/what-if-spans'

/**
 * Hand-computed figures (USD). gpt-4o: $2.50 input, $1.25 cached input, $10 output per million;
 * gpt-4o-mini: $0.15 input, $0.60 output. Accepting triage/classify gpt-4o -> gpt-4o-mini with
 * output ratio 1.5 reprices three calls, cache reads as plain input:
 *   wa1 classify 1000 in / 200 out:   0.0025 + 0.002 = 0.0045  -> 0.00015 + 300 × 0.6e-6 = 0.00033
 *   wa2 classify 3000 in (2000 cached) / 100 out: 0.0025 + 0.0025 + 0.001 = 0.006
 *                                                -> 0.00045 + 150 × 0.6e-6 = 0.00054
 *   wa3 classify 500 in / 50 out:     0.00125 + 0.0005 = 0.00175 -> 0.000075 + 0.000045 = 0.00012
 * Left alone: wa1 draft (0.005 + 0.005 = 0.01), wa3's shadow call (0.00175, real spend), wb1's
 * classify (report task, 0.0045) and its unpriced mystery-model call.
 * Tasks now: wa1 0.0145, wa2 0.006, wa3 0.0035, wb1 0.0045 (total 0.0285).
 * Projected: wa1 0.01033, wa2 0.00054, wa3 0.00187, wb1 0.0045 (total 0.01724).
 */
let collector: TestCollector
let otherKey: string
const ADMIN_TOKEN = 'what-if-admin-token-0123456789'
const accepted = [
  {
    taskName: 'triage',
    step: 'classify',
    currentModel: 'gpt-4o',
    suggestedModel: 'gpt-4o-mini',
    outputRatio: 1.5,
  },
]

async function ingest(key: string): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(whatIfSpans(new Date())),
  })
  expect(response.status).toBe(200)
}

async function whatIf(body: unknown, key = collector.apiKey) {
  const response = await fetch(`${collector.url}/api/v1/recommendations/what-if`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

function close(actual: unknown, expected: number) {
  expect(typeof actual).toBe('number')
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-12)
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN } })
  await ingest(collector.apiKey)
  const created = await fetch(`${collector.url}/api/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'other-project' }),
  })
  otherKey = ((await created.json()) as { key: string }).key
})

afterAll(async () => {
  await collector?.close()
})

describe('POST /api/v1/recommendations/what-if', () => {
  it('should reprice the accepted step exactly, cache reads as plain input', async () => {
    const { status, body } = await whatIf({ accepted })
    expect(status).toBe(200)
    const current = body.current as Record<string, number>
    const projected = body.projected as Record<string, number>
    expect(current.tasks).toBe(4)
    close(current.totalCostUsd, 0.0285)
    close(current.costPerTaskUsd, 0.007125)
    // Nearest rank of 0.0035, 0.0045, 0.006, 0.0145: ranks 2 and 4.
    close(current.p50TaskCostUsd, 0.0045)
    close(current.p95TaskCostUsd, 0.0145)
    expect(projected.tasks).toBe(4)
    close(projected.totalCostUsd, 0.01724)
    close(projected.costPerTaskUsd, 0.00431)
    // Sorted 0.00054, 0.00187, 0.0045, 0.01033.
    close(projected.p50TaskCostUsd, 0.00187)
    close(projected.p95TaskCostUsd, 0.01033)
    expect(body.unpricedCalls).toBe(1)

    const [triage, report] = body.byTaskName as Array<Record<string, number | string>>
    expect(triage).toMatchObject({ taskName: 'triage', tasks: 3 })
    close(triage!.currentTotalUsd, 0.024)
    close(triage!.projectedTotalUsd, 0.01274)
    close(triage!.currentCostPerTaskUsd, 0.008)
    // 0.01274 / 3, rounded half up to the pico-dollar.
    close(triage!.projectedCostPerTaskUsd, 0.004246666667)
    expect(report).toMatchObject({ taskName: 'report', tasks: 1 })
    close(report!.currentTotalUsd, 0.0045)
    close(report!.projectedTotalUsd, 0.0045)

    const [only] = body.switches as Array<Record<string, number | string>>
    expect(only).toMatchObject({ taskName: 'triage', step: 'classify', calls: 3 })
    close(only!.currentCostUsd, 0.01225)
    close(only!.projectedCostUsd, 0.00099)
    const from = new Date(body.from as string).getTime()
    expect(new Date(body.to as string).getTime() - from).toBe(30 * 86_400_000)
  })

  it('should match the served model and default the output ratio to 1', async () => {
    const { body } = await whatIf({
      accepted: [
        { ...accepted[0], outputRatio: undefined },
        // wb1's classify call asked for gpt-4o and was served gpt-4o-2024-08-06.
        { ...accepted[0], taskName: 'report', currentModel: 'gpt-4o-2024-08-06', outputRatio: 1 },
        { ...accepted[0], taskName: 'report', currentModel: 'gpt-4-turbo' },
      ],
    })
    const [first, second, third] = body.switches as Array<Record<string, number>>
    // 0.00015 + 0.00012 | 0.00045 + 0.00006 | 0.000075 + 0.00003
    expect(first!.calls).toBe(3)
    close(first!.projectedCostUsd, 0.00027 + 0.00051 + 0.000105)
    expect(second!.calls).toBe(1)
    close(second!.currentCostUsd, 0.0045)
    close(second!.projectedCostUsd, 0.00027)
    expect(third!.calls).toBe(0)
    close(
      (body.projected as Record<string, number>).totalCostUsd,
      0.0285 - 0.01225 + 0.000885 - 0.0045 + 0.00027,
    )
  })

  it('should give equal totals with nothing accepted, and see only its own project', async () => {
    const { body } = await whatIf({ accepted: [], days: 90 })
    close((body.current as Record<string, number>).totalCostUsd, 0.0285 + 0.0045)
    close((body.projected as Record<string, number>).totalCostUsd, 0.0285 + 0.0045)

    const other = await whatIf({ accepted }, otherKey)
    expect(other.status).toBe(200)
    expect((other.body.current as Record<string, number>).tasks).toBe(0)
    expect(other.body.byTaskName).toEqual([])
  })

  it('should refuse bad bodies with the field, the value and what was expected', async () => {
    const cases: Array<[unknown, string]> = [
      ['not json', 'body is not valid JSON: expected a JSON object such as { "accepted": [...] }'],
      [[], 'body must be a JSON object such as { "accepted": [...] }, got []'],
      [{}, 'accepted must be an array of at most 200 recommendations, got nothing'],
      [{ accepted, days: 91 }, 'days must be an integer from 1 to 90, got 91'],
      [{ accepted, extra: 1 }, 'unknown field "extra"; expected accepted, days'],
      [
        { accepted: [{ ...accepted[0], step: '' }] },
        'accepted[0].step must be a non-empty string of at most 500 characters, got ""',
      ],
      [
        { accepted: [{ ...accepted[0], outputRatio: -1 }] },
        'accepted[0].outputRatio must be a number above 0 and at most 100, got -1',
      ],
      [
        { accepted: [{ ...accepted[0], suggestedModel: 'no-such-model-x' }] },
        'accepted[0].suggestedModel "no-such-model-x" cannot be priced (model not in price catalog: no-such-model-x); add a custom price or pick a priced model',
      ],
    ]
    for (const [body, error] of cases) {
      const response = await whatIf(body)
      expect(response).toEqual({ status: 400, body: { error } })
    }
  })

  it('should need a key', async () => {
    const response = await fetch(`${collector.url}/api/v1/recommendations/what-if`, {
      method: 'POST',
      body: JSON.stringify({ accepted }),
    })
    expect(response.status).toBe(401)
  })
})
