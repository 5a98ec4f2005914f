import { outcome, step, tool } from '@agentmeter/sdk'

import { findCustomer, findOrder, newTicket, TICKETS } from '../fakes/crm'
import { inputSource } from '../fakes/recurring'
import type { Customer, Order, Ticket } from '../fakes/crm'
import { ask, askWithTool } from '../llm/dispatch'
import type { DemoTool } from '../llm/types'
import { CLASSIFIER, LOOKUP, SUPPORT_POLICY } from './prompts'
import type { Agent, AgentContext } from './types'

const TOOLS: readonly DemoTool[] = [
  {
    name: 'lookup_customer',
    description: 'Find a customer record by id',
    parameters: {
      type: 'object',
      properties: { customer_id: { type: 'string' } },
      required: ['customer_id'],
    },
    run: (args) => findCustomer(args.customer_id),
  },
  {
    name: 'lookup_order',
    description: 'Find an order by id',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
    },
    run: (args) => findOrder(args.order_id),
  },
]

/**
 * Support ticket triage: classify the ticket, look up the customer and the order with tools,
 * draft a reply. Every task is a new ticket (its own customer, order and wording), and one in
 * ten is a ticket sent again. Waste it shows: an expensive model for the label, the same
 * classification sent twice, the customer looked up again after the draft, a request worded
 * twice, a verifier looping on the same lookup, and a re-sent ticket triaged from scratch.
 * Tickets whose order does not exist fail in the lookup tool; some drafts are escalated to a
 * human (outcome failure).
 */
export const ticketTriage: Agent = {
  name: 'ticket-triage',
  prepare(context) {
    const { rng } = context
    const kind = rng.pick(TICKETS)
    const choices = {
      classifyModel: rng.chance(0.35)
        ? 'claude-opus-4-1'
        : rng.pick(['gpt-4o-mini', 'claude-haiku-4-5']),
      classifyTwice: rng.chance(0.35),
      lookupModel: rng.pick(['gpt-4o-mini', 'gpt-4.1', 'claude-haiku-4-5']),
      draftModel: rng.pick(['claude-sonnet-4-5', 'claude-sonnet-4-5', 'gpt-4o']),
      streamDraft: rng.chance(0.5),
      recheckCustomer: rng.chance(0.4),
      escalated: rng.chance(0.1),
      score: 0.6 + rng.int(0, 40) / 100,
      verifyLoop: rng.chance(0.3),
      doubleCheck: rng.chance(0.4),
    }
    // Drawn last, so the choices above (and the outcomes) do not depend on the ticket's words.
    const ticket = newTicket(kind, inputSource(rng, 'ticket', 0.1, 6))
    const plan = { ticket, ...choices }
    return {
      attributes: { 'ticket.id': ticket.id, 'ticket.channel': ticket.channel },
      run: () => triage(context, plan),
    }
  },
}

interface TriagePlan {
  ticket: Ticket
  classifyModel: string
  classifyTwice: boolean
  lookupModel: string
  draftModel: string
  streamDraft: boolean
  recheckCustomer: boolean
  escalated: boolean
  score: number
  verifyLoop: boolean
  doubleCheck: boolean
}

async function triage(context: AgentContext, plan: TriagePlan): Promise<boolean> {
  const { ticket } = plan

  await step('classify', async () => {
    const request = {
      model: plan.classifyModel,
      system: CLASSIFIER,
      user: `${ticket.subject}\n\n${ticket.body}`,
      maxTokens: 16,
    }
    await ask(context, request)
    // "Ask again to be sure": an identical prompt, so an identical answer at full price.
    if (plan.classifyTwice) await ask(context, request)
  })

  const { customer, order } = await step('lookup', async () => {
    const found = await askWithTool(context, {
      model: plan.lookupModel,
      system: LOOKUP,
      user: `Look up the customer ${ticket.customerId}.`,
      tools: TOOLS,
      use: 'lookup_customer',
    })
    const ordered = await askWithTool(context, {
      model: plan.lookupModel,
      system: LOOKUP,
      user: `Look up the order ${ticket.orderId}.`,
      tools: TOOLS,
      use: 'lookup_order',
    })
    return { customer: found.result as Customer, order: ordered.result as Order }
  })

  await step('draft-reply', () =>
    ask(context, {
      model: plan.draftModel,
      system: SUPPORT_POLICY,
      cacheSystem: true,
      stream: plan.streamDraft,
      user: [
        `Draft a reply to ticket ${ticket.id} (${ticket.channel}): ${ticket.subject}`,
        ticket.body,
        `Customer: ${customer.name}, ${customer.tier} tier since ${customer.since}.`,
        `Order ${order.id}: ${order.status}, ${order.items.join(', ')}, ${order.totalUsd} USD.`,
      ].join('\n\n'),
    }),
  )

  if (plan.recheckCustomer) {
    await step('verify', () =>
      tool('lookup_customer', { customer_id: ticket.customerId }, () =>
        findCustomer(ticket.customerId),
      ),
    )
  }

  if (plan.doubleCheck) {
    // The same request worded twice, one word apart: the second answer is the first one again
    // (a near-duplicate prompt on the hotspots page).
    await step('double-check', async () => {
      for (const when of ['today', 'now']) {
        await askWithTool(context, {
          model: 'gpt-4o-mini',
          system: LOOKUP,
          user: `Please look up the customer ${ticket.customerId} so that we can double check the account details, the tier, the signup date and the contact address before we answer ticket ${ticket.id} ${when}.`,
          tools: TOOLS,
          use: 'lookup_customer',
        })
      }
    })
  }

  if (plan.verifyLoop) {
    // A verifier that never trusts its answer: the same question and the same lookup, three
    // times over (a loop on the hotspots page).
    await step('verify-record', async () => {
      for (let check = 1; check <= 3; check++) {
        await ask(context, {
          model: plan.lookupModel,
          system: LOOKUP,
          user: `Is the record of customer ${ticket.customerId} complete? Check ${check} of 3.`,
          maxTokens: 16,
        })
        await tool('lookup_customer', { customer_id: ticket.customerId }, () =>
          findCustomer(ticket.customerId),
        )
      }
    })
  }

  outcome(!plan.escalated, plan.escalated ? 0.2 : plan.score)
  return !plan.escalated
}
