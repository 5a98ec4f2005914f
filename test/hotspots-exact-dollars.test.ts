import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The hotspot dollars stay exact decimals end to end: a repeated tool result re-read by a call
 * whose effective input rate has no finite decimal (gpt-4o, 1,000 fresh tokens at $2.50 and
 * 2,000 cached at $1.25 per million: $0.005 over 3,000 tokens). 90,000 result tokens at that
 * rate are $0.15 exactly; a per-token rate cut at 12 places would give $0.14999994.
 */
const day = new Date(Date.UTC(2026, 10, 22, 10, 0, 0))
const at = (seconds: number) => new Date(day.getTime() + seconds * 1000)
const FROM = '2026-11-22T10:00:00Z'
const TO = '2026-11-22T11:00:00Z'
let collector: TestCollector

const read = (spanId: string, seconds: number) =>
  toolCallSpan({
    taskId: 'x1',
    taskName: 'digest',
    step: 'read',
    spanId,
    at: at(seconds),
    tool: 'read_file',
    argsHash: '00000000000000e1',
    resultHash: '00000000000000f1',
    resultTokens: 90_000,
  })

interface Report {
  totalWastedUsd: number
  wastedShare: number | null
  totalSpendUsd: number
  hotspots: Array<{ cause: string; wastedUsd: number; shareOfSpend: number | null }>
}

async function hotspots(): Promise<Report> {
  const { status, body } = await collector.api<Report>(`/api/v1/hotspots?from=${FROM}&to=${TO}`)
  expect(status).toBe(200)
  return body
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      taskRootSpan('x1', 'digest', at(0)),
      read('b000000000000001', 10),
      read('b000000000000002', 20),
      llmCallSpan({
        taskId: 'x1',
        taskName: 'digest',
        step: 'answer',
        spanId: 'b000000000000003',
        at: at(30),
        model: 'gpt-4o',
        input: 3000,
        cacheRead: 2000,
        output: 0,
        requestHash: '00000000000000a9',
      }),
    ]),
  })
  expect(response.status).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('hotspot dollars', { timeout: 180_000 }, () => {
  it('should price re-read tool results exactly, from the spans and from the parts', async () => {
    const expectExact = (report: Report) => {
      const repeated = report.hotspots.find((row) => row.cause === 'repeated_tool_call')
      expect(repeated?.wastedUsd).toBe(0.15)
      expect(report.totalSpendUsd).toBe(0.005)
      // The share is cut to millionths from the exact sums (30 = 0.15 / 0.005, not above).
      expect(repeated?.shareOfSpend).toBe(30)
      expect(report.totalWastedUsd).toBe(
        report.hotspots.reduce((sum, row) => sum + Math.round(row.wastedUsd * 1e12), 0) / 1e12,
      )
    }
    expectExact(await hotspots())
    await collector.rollups.refreshNow({ settleMillis: 0 })
    expectExact(await hotspots())
  })
})
