import { runDemo } from '@agentmeter/demo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRng } from '../apps/demo/src/prng'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The demo's shadow mode, end to end: real clients, the SDK, the collector. Copies of the
 * ticket-triage classify calls on claude-opus-4-1 go to claude-haiku-4-5 at the seeded share,
 * each stored with its propensity, its primary span and the demo's verdict.
 */
let collector: TestCollector

interface StoredCall {
  span_id: string
  trace_id: string
  task_name: string
  step: string
  request_model: string
  priced: boolean
  start_time: string
  shadow: string
  primary: string
  propensity: string
  match: string
}

let calls: StoredCall[]
const SEED = 5

beforeAll(async () => {
  collector = await createTestCollector()
  await runDemo({ endpoint: collector.url, apiKey: collector.apiKey, tasks: 48, seed: SEED })
  const result = await collector.client.query({
    query: `SELECT span_id, trace_id, task_name, step, request_model, priced, toString(start_time) AS start_time,
        attributes['agentmeter.shadow'] AS shadow,
        attributes['agentmeter.shadow.primary_span_id'] AS primary,
        attributes['agentmeter.shadow.propensity'] AS propensity,
        attributes['agentmeter.shadow.match'] AS match
      FROM spans FINAL
      WHERE kind = 'llm' AND mapContains(attributes, 'agentmeter.shadow.propensity')
      ORDER BY start_time`,
    format: 'JSONEachRow',
  })
  calls = await result.json<StoredCall>()
}, 180_000)

afterAll(async () => {
  await collector?.close()
})

describe('demo shadow mode', () => {
  it('should copy the seeded share of opus classify calls to haiku, linked and judged', () => {
    const primaries = calls.filter((call) => call.shadow !== 'true')
    const shadows = calls.filter((call) => call.shadow === 'true')
    const draws = createRng(SEED ^ 0x5ead)
    const expected = primaries.filter(() => draws.next() < 0.2).length

    expect(primaries.length).toBeGreaterThan(0)
    expect(expected).toBeGreaterThan(0)
    expect(shadows).toHaveLength(expected)
    for (const primary of primaries) {
      expect(primary).toMatchObject({
        task_name: 'ticket-triage',
        step: 'classify',
        request_model: 'claude-opus-4-1',
        propensity: '0.2',
      })
    }
    const byId = new Map(primaries.map((call) => [call.span_id, call]))
    for (const shadow of shadows) {
      expect(shadow).toMatchObject({
        task_name: 'ticket-triage',
        step: 'classify',
        request_model: 'claude-haiku-4-5',
        priced: true,
        propensity: '0.2',
        match: 'true',
      })
      const primary = byId.get(shadow.primary)
      expect(primary?.trace_id).toBe(shadow.trace_id)
      expect(shadow.start_time >= primary!.start_time).toBe(true)
    }
  })
})
