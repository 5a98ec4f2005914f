import type { ShadowOptions, ShadowResult } from '@agentmeter/sdk'
import { createRng } from '../prng'

/**
 * The demo's shadow mode: one in five ticket classifications made on claude-opus-4-1 is also sent
 * to claude-haiku-4-5 (after the agent has its label), so the recommendations page has replay
 * evidence for that step. The draws come from their own seeded generator: the same demo seed
 * gives the same copies, and the task mix is drawn exactly as without shadow mode.
 */
export function classifyShadow(seed: number): ShadowOptions {
  const draws = createRng(seed ^ 0x5ead)
  return {
    rules: [
      {
        step: 'classify',
        taskName: 'ticket-triage',
        currentModel: 'claude-opus-4-1',
        model: 'claude-haiku-4-5',
        share: 0.2,
        compare: sameKindOfAnswer,
      },
    ],
    maxConcurrent: 4,
    random: () => draws.next(),
  }
}

/**
 * A stand-in for an app's own check (a real one would compare the two labels): the replay
 * provider's words differ per model, so the demo judges only that both answered with text and
 * ended the same way.
 */
function sameKindOfAnswer(primary: ShadowResult, shadow: ShadowResult): boolean {
  const ended = (result: ShadowResult) => result.finishReasons.join(',')
  return Boolean(primary.text && shadow.text) && ended(primary) === ended(shadow)
}
