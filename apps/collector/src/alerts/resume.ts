import type { EventStore } from './event-store'
import type { Notifier } from './notifier'
import type { StoredRule } from './rule'

/**
 * How long a delivery can take from its first attempt to its last, with every backoff (doubling
 * from the base, capped at 5 minutes) and every attempt timing out: after that, an event still
 * pending has no live collector retrying it.
 */
export function retryScheduleMillis(options: {
  retryBaseMillis: number
  maxAttempts: number
  deliveryTimeoutMillis: number
}): number {
  const { retryBaseMillis, maxAttempts, deliveryTimeoutMillis } = options
  const cap = Math.max(retryBaseMillis, 5 * 60_000)
  let total = 0
  for (let attempt = 1; attempt < maxAttempts; attempt++) {
    total += Math.min(cap, retryBaseMillis * 2 ** (attempt - 1))
  }
  return total + maxAttempts * deliveryTimeoutMillis
}

/**
 * Resumes the deliveries of pending events created before `before` (epoch millis); an event
 * whose rule was deleted meanwhile is closed as failed, with the reason.
 */
export async function resumePendingEvents(input: {
  events: EventStore
  notifier: Notifier
  findRule: (projectId: string, ruleId: string) => StoredRule | null
  before: number
}): Promise<void> {
  for (const event of await input.events.pending()) {
    if (Date.parse(event.createdAt) >= input.before) continue
    const rule = input.findRule(event.projectId, event.ruleId)
    if (rule) void input.notifier.send(event, rule)
    else {
      await input.events.save({
        ...event,
        deliveryStatus: 'failed',
        lastError: 'the rule was deleted before the event could be delivered',
      })
    }
  }
}
