import { outcome, step } from '@agentmeter/sdk'

import { TICKETS } from '../fakes/crm'
import { ask } from '../llm/dispatch'
import type { Agent } from './types'

/**
 * Two agents whose fleets are mixed, so the same step runs on an expensive and a cheap model
 * side by side (as after a partial migration or during an A/B period), and the routing
 * recommender sees both kinds of step at first start:
 * - `faq-answer` / `detect-intent`: a short label that gpt-4o-mini gets right as often as gpt-4o
 *   (99.5% of tasks succeed on either): recommended.
 * - `contract-review` / `extract-clauses`: a long extraction where claude-haiku-4-5 misses
 *   clauses in 30% of tasks against 3% on claude-sonnet-4-5: not recommended.
 * Each task draws its model and then its outcome at that model's rate, from the task's seeded
 * random source, so the same seed gives the same tasks and the same outcomes.
 */
const INTENT_SUCCESS: Record<string, number> = { 'gpt-4o': 0.995, 'gpt-4o-mini': 0.995 }
const CLAUSE_SUCCESS: Record<string, number> = {
  'claude-sonnet-4-5': 0.97,
  'claude-haiku-4-5': 0.7,
}

const INTENT_PROMPT =
  'Label the intent of the customer message with one word: billing, shipping, account, other.'
const CLAUSE_PROMPT =
  'List every clause of the contract below that limits liability, renews automatically, or sets a notice period, quoting each clause in full.'

export const faqAnswer: Agent = {
  name: 'faq-answer',
  prepare(context) {
    const { rng } = context
    const ticket = rng.pick(TICKETS)
    const model = rng.pick(Object.keys(INTENT_SUCCESS))
    const ok = rng.chance(INTENT_SUCCESS[model]!)
    return {
      attributes: { 'ticket.id': ticket.id },
      async run() {
        await step('detect-intent', () =>
          ask(context, { model, system: INTENT_PROMPT, user: ticket.subject, maxTokens: 8 }),
        )
        outcome(ok)
        return ok
      },
    }
  },
}

export const contractReview: Agent = {
  name: 'contract-review',
  prepare(context) {
    const { rng } = context
    const ticket = rng.pick(TICKETS)
    const model = rng.pick(Object.keys(CLAUSE_SUCCESS))
    const ok = rng.chance(CLAUSE_SUCCESS[model]!)
    const contract = Array.from(
      { length: 12 },
      (_, i) => `Clause ${i + 1}. ${ticket.body} The parties agree to section ${i + 1} as written.`,
    ).join('\n')
    return {
      attributes: { 'contract.id': `C-${ticket.id}` },
      async run() {
        await step('extract-clauses', () =>
          ask(context, { model, system: CLAUSE_PROMPT, user: contract, maxTokens: 400 }),
        )
        outcome(ok)
        return ok
      },
    }
  },
}

/** The routing agents, run as one history batch at start (`--routing-tasks`), alternating. */
export const ROUTING_AGENTS: readonly Agent[] = [faqAnswer, contractReview]
