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
 * random source, so the same seed gives the same tasks and the same outcomes. Every task carries
 * its own order or contract number, as real traffic does: without it, hundreds of tasks over a
 * few sample tickets would be byte-identical calls, and the hotspots page would call them waste.
 */
const INTENT_SUCCESS: Record<string, number> = { 'gpt-4o': 0.995, 'gpt-4o-mini': 0.995 }
const CLAUSE_SUCCESS: Record<string, number> = {
  'claude-sonnet-4-5': 0.97,
  'claude-haiku-4-5': 0.7,
}

const CLAUSE_TERMS = [
  'Liability of either party is limited to fees paid in the preceding',
  'This agreement renews automatically unless cancelled in writing within',
  'Either party may terminate for convenience with notice of',
  'Invoices are payable net',
  'Confidential information stays protected for',
  'Service credits apply when availability falls below target for',
]
const PARTIES = ['the supplier', 'the customer', 'both parties', 'the reseller', 'the licensor']

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
    const message = `${ticket.subject} (order ${rng.int(100_000, 999_999)})`
    return {
      attributes: { 'ticket.id': ticket.id },
      async run() {
        await step('detect-intent', () =>
          ask(context, { model, system: INTENT_PROMPT, user: message, maxTokens: 8 }),
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
    const number = rng.int(10_000, 99_999)
    // Each contract its own terms, so two reviews are different documents, not near copies.
    const clauses = Array.from({ length: 12 }, (_, i) => {
      const term = rng.pick(CLAUSE_TERMS)
      return `Clause ${i + 1}. ${term} ${rng.int(2, 180)} days, capped at ${rng.int(1, 900)}k USD, for ${rng.pick(PARTIES)} under schedule ${rng.int(1, 60)}.`
    })
    const contract = `Contract ${number} for customer ${ticket.customerId}: ${ticket.body}\n${clauses.join('\n')}`
    return {
      attributes: { 'contract.id': `C-${number}` },
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
