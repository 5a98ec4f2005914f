import { context } from '@opentelemetry/api'
import { EvidenceAttr } from '@agentmeter/core'
import { getStepSpan } from './context'
import { safely } from './safe'
import { log } from './state'

/**
 * Records how well the enclosing step did, as `agentmeter.step.score` (a number in [0, 1]) on
 * the innermost `step()` span: e.g. 1 when a classifier's label was confirmed, 0 when a parser
 * had to retry. The recommender compares these scores between models of the same step. Outside
 * a step it does nothing; a later call overrides an earlier one.
 */
export function stepScore(score: number): void {
  safely('recording a step score', () => {
    const span = getStepSpan(context.active())
    if (!span) {
      log.debug('stepScore() was called outside step(); ignored')
      return
    }
    if (!Number.isFinite(score) || score < 0 || score > 1) {
      log.warn(`stepScore() got ${score}; expected a number in [0, 1]; not recorded`)
      return
    }
    span.setAttribute(EvidenceAttr.stepScore, score)
  })
}
