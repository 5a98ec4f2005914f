import { startDemo } from '@agentmeter/demo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The demo's first start as `agentmeter start --demo` runs it: the routing agents' history
 * (mixed fleets, seeded outcomes) through our SDK and the real clients into a real collector.
 * The recommendations page must show a step the cheaper model handles as well, recommended on
 * observed evidence, and a step where it fails, not recommended.
 */
let collector: TestCollector
let recommendations: Array<{
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  evidence: string
  status: string
  savingsUsd: number
  sample: { current: number; suggested: number }
}>

beforeAll(async () => {
  collector = await createTestCollector()
  const demo = await startDemo({ endpoint: collector.url, apiKey: collector.apiKey, seed: 1 })
  try {
    await demo.runRouting(900)
  } finally {
    await demo.close()
  }
  const { body } = await collector.api<{ recommendations: typeof recommendations }>(
    '/api/v1/recommendations',
  )
  recommendations = body.recommendations
}, 300_000)

afterAll(async () => {
  await collector?.close()
})

const observed = (step: string, from: string, to: string) =>
  recommendations.find(
    (rec) =>
      rec.step === step &&
      rec.currentModel === from &&
      rec.suggestedModel === to &&
      rec.evidence === 'observed',
  )

describe('demo recommendations', () => {
  it('should recommend the cheaper model for the step it handles as well', () => {
    const rec = observed('detect-intent', 'gpt-4o', 'gpt-4o-mini')!
    expect(rec).toMatchObject({ taskName: 'faq-answer', status: 'recommended' })
    expect(rec.sample.current + rec.sample.suggested).toBe(450)
    expect(rec.savingsUsd).toBeGreaterThan(0)
  })

  it('should not recommend the cheaper model for the step where it fails', () => {
    const rec = observed('extract-clauses', 'claude-sonnet-4-5', 'claude-haiku-4-5')!
    expect(rec).toMatchObject({ taskName: 'contract-review', status: 'not_recommended' })
    expect(rec.sample.current + rec.sample.suggested).toBe(450)
  })
})
