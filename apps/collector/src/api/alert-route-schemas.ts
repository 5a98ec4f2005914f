import type { JsonSchema, RouteSpec } from './route-schemas'

/** Specs of the alert routes, merged into `ROUTES` (and so into /api/v1/openapi.json). */

const idParam = [
  { name: 'id', description: 'Alert rule id', schema: { type: 'string' }, required: true },
]

const RULE_FIELDS: Record<string, JsonSchema> = {
  name: { type: 'string', maxLength: 200 },
  type: { enum: ['task_cost', 'task_cost_p95', 'spend_budget', 'unpriced_spend'] },
  taskName: { type: 'string', description: 'Only tasks of this name (required for task_cost_p95)' },
  thresholdUsd: { type: 'number', minimum: 0, description: 'USD; the budget for spend_budget' },
  windowMinutes: {
    type: 'integer',
    minimum: 1,
    description: 'task_cost_p95, unpriced_spend (default 60)',
  },
  baselineFactor: {
    type: ['number', 'null'],
    exclusiveMinimum: 0,
    description: 'task_cost_p95: fire above max(thresholdUsd, k × p95 of the previous window)',
  },
  budgetPeriod: { enum: ['day', 'month'], description: 'spend_budget (default day, UTC)' },
  forecast: {
    type: 'boolean',
    description: 'spend_budget: warn when forecast to exceed (default true)',
  },
  environment: {
    type: 'string',
    description: 'Only tasks with spans in this deployment environment',
  },
  service: { type: 'string', description: 'Only tasks with spans of this service.name' },
  tags: {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Span or resource attributes a task must carry, e.g. { "team": "support" }',
  },
  channel: {
    type: 'object',
    required: ['type', 'url'],
    properties: { type: { enum: ['webhook', 'slack'] }, url: { type: 'string', format: 'uri' } },
  },
  renotifyMinutes: {
    type: 'integer',
    minimum: 0,
    description: 'Re-notify a lasting breach; 0 = once',
  },
  notifyOnResolve: {
    type: 'boolean',
    description: 'Notify when a windowed breach clears (default true)',
  },
  enabled: { type: 'boolean' },
}

const STATUS_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    state: { enum: ['ok', 'warning', 'firing', 'resolved'] },
    subject: { type: 'string', description: 'Task id, budget period, or empty' },
    since: { type: ['string', 'null'], format: 'date-time' },
    lastNotifiedAt: { type: ['string', 'null'], format: 'date-time' },
    breaches: { type: 'integer' },
  },
}

const RULE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    ...RULE_FIELDS,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    status: STATUS_SCHEMA,
  },
}

const EVENT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    ruleId: { type: 'string' },
    ruleName: { type: 'string' },
    kind: { enum: ['firing', 'warning', 'resolved', 'renotify', 'test'] },
    subject: { type: 'string' },
    taskId: { type: 'string' },
    taskName: { type: 'string' },
    valueUsd: { type: ['number', 'null'] },
    thresholdUsd: { type: ['number', 'null'] },
    message: { type: 'string' },
    deliveryStatus: { enum: ['pending', 'delivered', 'failed', 'suppressed'] },
    attempts: { type: 'integer' },
    lastError: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
}

export const ALERT_ROUTES = {
  listAlertRules: {
    method: 'get',
    path: '/api/v1/alert-rules',
    summary: "The project's alert rules with their current state",
    auth: 'key',
    query: [],
    response: { type: 'object', properties: { rules: { type: 'array', items: RULE_SCHEMA } } },
  },
  createAlertRule: {
    method: 'post',
    path: '/api/v1/alert-rules',
    summary: 'Create an alert rule (admin scope); the webhook signing secret is shown only here',
    auth: 'key',
    body: { type: 'object', required: ['name', 'type', 'channel'], properties: RULE_FIELDS },
    response: {
      type: 'object',
      properties: {
        rule: RULE_SCHEMA,
        secret: { type: 'string', description: 'HMAC-SHA256 key of x-agentmeter-signature' },
      },
    },
  },
  getAlertRule: {
    method: 'get',
    path: '/api/v1/alert-rules/{id}',
    summary: 'One alert rule',
    auth: 'key',
    pathParams: idParam,
    query: [],
    response: { type: 'object', properties: { rule: RULE_SCHEMA } },
  },
  updateAlertRule: {
    method: 'patch',
    path: '/api/v1/alert-rules/{id}',
    summary: 'Change fields of a rule (admin scope), e.g. { "enabled": false } to disable it',
    auth: 'key',
    pathParams: idParam,
    body: { type: 'object', properties: RULE_FIELDS },
    response: { type: 'object', properties: { rule: RULE_SCHEMA } },
  },
  deleteAlertRule: {
    method: 'delete',
    path: '/api/v1/alert-rules/{id}',
    summary: 'Delete a rule (admin scope); its events stay in the history',
    auth: 'key',
    pathParams: idParam,
    response: { type: 'object', properties: { deleted: { type: 'boolean' } } },
  },
  testAlertRule: {
    method: 'post',
    path: '/api/v1/alert-rules/{id}/test',
    summary: "Send a test notification through the rule's channel now (admin scope)",
    auth: 'key',
    pathParams: idParam,
    response: { type: 'object', properties: { event: EVENT_SCHEMA } },
  },
  listAlertEvents: {
    method: 'get',
    path: '/api/v1/alert-events',
    summary: 'Alert history, newest first, with each delivery outcome',
    auth: 'key',
    query: [
      { name: 'ruleId', description: 'Only events of this rule', schema: { type: 'string' } },
      {
        name: 'limit',
        description: 'At most this many events (default 100)',
        schema: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    ],
    response: { type: 'object', properties: { events: { type: 'array', items: EVENT_SCHEMA } } },
  },
  listAlertDeliveries: {
    method: 'get',
    path: '/api/v1/alert-events/{id}/deliveries',
    summary: 'Every delivery attempt of one event (404 for an event not in this project)',
    auth: 'key',
    pathParams: [{ ...idParam[0]!, description: 'Alert event id' }],
    query: [],
    response: {
      type: 'object',
      properties: {
        deliveries: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              attempt: { type: 'integer' },
              ok: { type: 'boolean' },
              statusCode: { type: 'integer' },
              error: { type: 'string' },
              durationMs: { type: 'integer' },
              at: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  },
} satisfies Record<string, RouteSpec>
