import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { step } from './step'
import { stepScore } from './step-score'
import { task } from './task'
import { setupTestTracing } from './test-support/setup-test-tracing'

const tracing = setupTestTracing()
afterAll(() => tracing.shutdown())
beforeEach(() => tracing.reset())

function scores(): Record<string, unknown> {
  return Object.fromEntries(
    tracing.spans().map((span) => [span.name, span.attributes['agentmeter.step.score']]),
  )
}

describe('stepScore()', () => {
  it('should score the innermost step, the last call winning', async () => {
    await task('triage', async () => {
      await step('classify', async () => {
        await step('parse', () => stepScore(0.25))
        stepScore(1)
        stepScore(0.75)
      })
      await step('draft', () => undefined)
    })

    expect(scores()).toEqual({
      'step parse': 0.25,
      'step classify': 0.75,
      'step draft': undefined,
      'task triage': undefined,
    })
  })

  it('should record nothing outside a step or for a score outside [0, 1]', async () => {
    await task('triage', async () => {
      stepScore(0.5)
      await step('classify', () => {
        stepScore(1.5)
        stepScore(Number.NaN)
        stepScore(-0.1)
      })
    })
    stepScore(0.5)

    expect(scores()).toEqual({ 'step classify': undefined, 'task triage': undefined })
  })

  it('should not leak the enclosing task step into a nested task', async () => {
    await task('outer', () => step('classify', () => task('inner', async () => stepScore(0.5))))
    expect(scores()['step classify']).toBeUndefined()
  })
})
