import { Hono, type Context } from 'hono'
import {
  parseRuleInput,
  publicRule,
  type AlertEngine,
  type AlertEvent,
  type StoredRule,
} from '../alerts'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'
import { readJsonObject } from './json-body'

type AlertContext = Context<{ Variables: AuthVariables }>

/**
 * `/api/v1/alert-rules` (create, list, get, edit, delete, test-send) and `/api/v1/alert-events`
 * (history and delivery log). Reading needs the read scope (checked by the API router); changing
 * rules or sending needs admin, since a rule makes the collector call out to a URL.
 */
export function createAlertRoutes(alerts: AlertEngine) {
  const routes = new Hono<{ Variables: AuthVariables }>()
  const inputOptions = { allowPrivateWebhooks: alerts.options.allowPrivateWebhooks }

  routes.get('/alert-rules', (c) => {
    parseQuery(c.req.query(), ROUTES.listAlertRules.query)
    const rules = alerts.list(projectOf(c)).map((rule) => toJson(alerts, rule))
    return c.json({ rules })
  })

  routes.post('/alert-rules', async (c) => {
    requireAdmin(c)
    const fields = parseRuleInput(await readJsonObject(c.req), inputOptions)
    const rule = await alerts.createRule(projectOf(c), fields)
    return c.json({ rule: toJson(alerts, rule), secret: rule.secret }, 201)
  })

  routes.get('/alert-rules/:id', (c) => {
    parseQuery(c.req.query(), ROUTES.getAlertRule.query)
    return c.json({ rule: toJson(alerts, findRule(alerts, c)) })
  })

  routes.patch('/alert-rules/:id', async (c) => {
    requireAdmin(c)
    const rule = findRule(alerts, c)
    const fields = parseRuleInput(await readJsonObject(c.req), inputOptions, rule)
    const updated = await alerts.updateRule(rule, fields)
    return c.json({ rule: toJson(alerts, updated) })
  })

  routes.delete('/alert-rules/:id', async (c) => {
    requireAdmin(c)
    await alerts.deleteRule(findRule(alerts, c))
    return c.json({ deleted: true })
  })

  routes.post('/alert-rules/:id/test', async (c) => {
    requireAdmin(c)
    const event = await alerts.testSend(findRule(alerts, c))
    return c.json({ event: eventJson(event) })
  })

  routes.get('/alert-events', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.listAlertEvents.query)
    const events = await alerts.events.list(projectOf(c), {
      ruleId: (query.ruleId as string | undefined) || undefined,
      limit: (query.limit as number | undefined) ?? 100,
    })
    return c.json({ events: events.map(eventJson) })
  })

  routes.get('/alert-events/:id/deliveries', async (c) => {
    parseQuery(c.req.query(), ROUTES.listAlertDeliveries.query)
    const id = c.req.param('id')
    // Another project's event answers as one that does not exist, like the rules.
    if (!(await alerts.events.find(projectOf(c), id))) {
      throw new HttpError(404, `no alert event ${JSON.stringify(id)} in this project`)
    }
    const deliveries = await alerts.events.deliveries(projectOf(c), id)
    return c.json({
      deliveries: deliveries.map((attempt) => ({
        attempt: attempt.attempt,
        ok: attempt.ok,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
        at: attempt.at,
      })),
    })
  })

  return routes
}

function projectOf(c: AlertContext): string {
  return c.get('identity').project.id
}

function requireAdmin(c: AlertContext): void {
  const { scopes } = c.get('identity')
  if (!scopes.includes('admin')) {
    throw new HttpError(
      403,
      `changing alert rules needs the admin scope (this key has: ${scopes.join(', ')})`,
    )
  }
}

function findRule(alerts: AlertEngine, c: AlertContext): StoredRule {
  const id = c.req.param('id') ?? ''
  const rule = alerts.findRule(projectOf(c), id)
  // Another project's rule and a rule that does not exist answer alike.
  if (!rule) throw new HttpError(404, `no alert rule ${JSON.stringify(id)} in this project`)
  return rule
}

function toJson(alerts: AlertEngine, rule: StoredRule) {
  const { filters, channel, thresholdUsd, ...rest } = publicRule(rule)
  return {
    ...rest,
    thresholdUsd: Number(thresholdUsd),
    environment: filters.environment,
    service: filters.service,
    tags: filters.tags,
    channel: { type: channel.type, url: shownUrl(channel.type, channel.url) },
    status: alerts.status(rule),
  }
}

/** A Slack incoming-webhook URL is a credential: only its origin is shown back. */
function shownUrl(type: string, url: string): string {
  if (type !== 'slack') return url
  return `${new URL(url).origin}/…`
}

function eventJson(event: AlertEvent) {
  return {
    id: event.id,
    ruleId: event.ruleId,
    ruleName: event.ruleName,
    kind: event.kind,
    subject: event.subject,
    taskId: event.taskId,
    taskName: event.taskName,
    valueUsd: event.valueUsd === null ? null : Number(event.valueUsd),
    thresholdUsd: event.thresholdUsd === null ? null : Number(event.thresholdUsd),
    message: event.message,
    deliveryStatus: event.deliveryStatus,
    attempts: event.attempts,
    lastError: event.lastError,
    createdAt: event.createdAt,
    deliveredAt: event.deliveredAt,
  }
}
