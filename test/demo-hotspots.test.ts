import { runDemo } from '@agentmeter/demo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * A new user's first start: the demo agents, through our SDK and real clients, into a real
 * collector. Every kind of waste the hotspots page knows must show up with dollars on it.
 */
let collector: TestCollector
let hotspots: Array<{
  cause: string
  detail: string
  step: string
  wastedUsd: number
  occurrences: number
}>

beforeAll(async () => {
  collector = await createTestCollector()
  await runDemo({ endpoint: collector.url, apiKey: collector.apiKey, tasks: 24, seed: 7 })
  const { body } = await collector.api<{ hotspots: typeof hotspots }>(
    '/api/v1/hotspots?from=2020-01-01T00:00:00Z',
  )
  hotspots = body.hotspots
}, 120_000)

afterAll(async () => {
  await collector?.close()
})

describe('demo hotspots', () => {
  it('should show every cause with money on it', () => {
    const causes = new Set(hotspots.filter((h) => h.wastedUsd > 0).map((h) => h.cause))
    expect([...causes].sort()).toEqual([
      'duplicate_llm_call',
      'loop',
      'missed_prompt_cache',
      'near_duplicate_prompt',
      'repeated_tool_call',
    ])
  })
})
