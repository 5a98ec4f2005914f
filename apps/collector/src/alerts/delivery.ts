import type { Logger } from '../logger'
import { ALERT_DELIVERIES } from '../metric-catalog'
import type { Metrics } from '../metrics'
import { BlockedAddressError } from './address-guard'
import type { AlertEvent, EventStore } from './event-store'
import { postJson } from './http-post'
import { buildSlackMessage, type WebhookPayload } from './payload'
import type { StoredRule } from './rule'
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature'

export interface DeliveryOptions {
  /** Attempts per event before it is marked failed. */
  maxAttempts: number
  /** Wait before the second attempt; doubles each time, capped at `maxBackoffMillis`. */
  retryBaseMillis: number
  maxBackoffMillis: number
  timeoutMillis: number
  allowPrivateWebhooks: boolean
}

/**
 * Sends events to their rule's channel with retries and exponential backoff, and logs every
 * attempt. An event is sent at most once at a time; the receiver sees the same
 * `x-agentmeter-event-id` on each retry. An event still pending at shutdown stays `pending` in
 * the store and is resumed at the next start.
 */
export class Deliverer {
  private sleepers = new Map<NodeJS.Timeout, (woke: boolean) => void>()
  private inFlight = new Map<string, Promise<AlertEvent>>()
  private stopped = false

  constructor(
    private readonly events: EventStore,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly options: DeliveryOptions,
  ) {}

  /** Starts delivering an event (already saved as pending); resolves with its final state. */
  deliver(event: AlertEvent, rule: StoredRule): Promise<AlertEvent> {
    const running = this.inFlight.get(event.id)
    if (running) return running
    const promise = this.run(event, rule).finally(() => this.inFlight.delete(event.id))
    this.inFlight.set(event.id, promise)
    return promise
  }

  /** Stops retrying; attempts under way finish, later ones are left for the next start. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer)
      wake(false)
    }
    this.sleepers.clear()
    await Promise.allSettled([...this.inFlight.values()])
  }

  private async run(initial: AlertEvent, rule: StoredRule): Promise<AlertEvent> {
    let event = initial
    while (!this.stopped && event.deliveryStatus === 'pending') {
      if (event.attempts > 0) {
        const wait = Math.min(
          this.options.retryBaseMillis * 2 ** (event.attempts - 1),
          this.options.maxBackoffMillis,
        )
        const woke = await this.sleep(wait)
        if (!woke) break
      }
      event = await this.attempt(event, rule)
    }
    return event
  }

  private async attempt(event: AlertEvent, rule: StoredRule): Promise<AlertEvent> {
    const attempt = event.attempts + 1
    const startedAt = performance.now()
    let statusCode = 0
    let error = ''
    let permanent: boolean
    try {
      const result = await this.send(event, rule)
      statusCode = result.statusCode
      if (statusCode < 200 || statusCode >= 300) error = `the receiver answered ${statusCode}`
      // A 4xx other than timeout and rate limiting says the request itself is refused
      // (a revoked Slack hook answers 404 or 410): the same request will not fare better.
      permanent = statusCode >= 400 && statusCode < 500 && statusCode !== 408 && statusCode !== 429
    } catch (err) {
      error = err instanceof Error ? err.message : String(err)
      // A refused address stays refused: retrying cannot help.
      permanent = err instanceof BlockedAddressError
    }
    const ok = error === ''
    const at = new Date().toISOString()
    const durationMs = Math.round(performance.now() - startedAt)
    await this.events.logAttempt(event.projectId, {
      eventId: event.id,
      ruleId: event.ruleId,
      attempt,
      ok,
      statusCode,
      error,
      durationMs,
      at,
    })
    const exhausted = attempt >= this.options.maxAttempts || permanent
    const next: AlertEvent = {
      ...event,
      attempts: attempt,
      lastError: error,
      deliveryStatus: ok ? 'delivered' : exhausted ? 'failed' : 'pending',
      deliveredAt: ok ? at : null,
    }
    await this.events.save(next)
    this.metrics.inc(ALERT_DELIVERIES, {
      result: ok ? 'delivered' : next.deliveryStatus === 'failed' ? 'failed' : 'retry',
    })
    if (!ok) {
      this.logger.warn({
        module: 'alerts',
        message:
          next.deliveryStatus === 'failed'
            ? 'alert delivery failed'
            : 'alert delivery will be retried',
        // The URL is left out: a Slack webhook URL is a credential.
        args: {
          rule: rule.id,
          event: event.id,
          attempt,
          statusCode,
          error,
          channel: rule.channel.type,
        },
      })
    }
    return next
  }

  private send(event: AlertEvent, rule: StoredRule) {
    const options = {
      timeoutMillis: this.options.timeoutMillis,
      allowPrivate: this.options.allowPrivateWebhooks,
    }
    if (rule.channel.type === 'slack') {
      const payload = JSON.parse(event.payload) as WebhookPayload
      return postJson(rule.channel.url, JSON.stringify(buildSlackMessage(payload)), {}, options)
    }
    const timestamp = Math.floor(Date.now() / 1000)
    return postJson(
      rule.channel.url,
      event.payload,
      {
        [SIGNATURE_HEADER]: signPayload(rule.secret, timestamp, event.payload),
        [TIMESTAMP_HEADER]: String(timestamp),
        [EVENT_ID_HEADER]: event.id,
      },
      options,
    )
  }

  private sleep(millis: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve(false)
      const timer = setTimeout(() => {
        this.sleepers.delete(timer)
        resolve(!this.stopped)
      }, millis)
      this.sleepers.set(timer, resolve)
    })
  }
}
