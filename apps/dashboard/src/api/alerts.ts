import { apiPath, requestJson } from './client'
import { ResponseShapeError } from './decode'

/** The states a rule (per subject) can be in; see the collector's alerts/state-store.ts. */
export type AlertState = 'ok' | 'warning' | 'firing' | 'resolved'
export type AlertEventKind = 'firing' | 'warning' | 'resolved' | 'renotify' | 'test'
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'suppressed'

/** One rule of `GET /api/v1/alert-rules`. */
export interface AlertRuleView {
  id: string
  name: string
  type: string
  taskName: string
  thresholdUsd: number
  windowMinutes: number
  baselineFactor: number | null
  budgetPeriod: string
  enabled: boolean
  channelType: string
  state: AlertState
  subject: string
  lastNotifiedAt: string | null
  breaches: number
}

/** One event of `GET /api/v1/alert-events`. */
export interface AlertEventView {
  id: string
  ruleName: string
  kind: AlertEventKind
  taskId: string
  message: string
  valueUsd: number | null
  thresholdUsd: number | null
  deliveryStatus: DeliveryStatus
  attempts: number
  lastError: string
  createdAt: string
}

const STATES: readonly AlertState[] = ['ok', 'warning', 'firing', 'resolved']
const KINDS: readonly AlertEventKind[] = ['firing', 'warning', 'resolved', 'renotify', 'test']
const DELIVERY: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed', 'suppressed']

/** `GET /api/v1/alert-rules`. */
export async function fetchAlertRules(signal?: AbortSignal): Promise<AlertRuleView[]> {
  return decodeAlertRules(await requestJson(apiPath('/alert-rules'), { signal }))
}

/** `GET /api/v1/alert-events`, newest first. */
export async function fetchAlertEvents(
  limit: number,
  signal?: AbortSignal,
): Promise<AlertEventView[]> {
  return decodeAlertEvents(await requestJson(apiPath('/alert-events', { limit }), { signal }))
}

export function decodeAlertRules(body: unknown): AlertRuleView[] {
  return items(body, 'rules').map((value, index) => {
    const path = `rules[${index}]`
    const rule = object(value, path)
    const status = object(rule.status, `${path}.status`)
    const channel = object(rule.channel, `${path}.channel`)
    return {
      id: text(rule.id, `${path}.id`),
      name: text(rule.name, `${path}.name`),
      type: text(rule.type, `${path}.type`),
      taskName: text(rule.taskName ?? '', `${path}.taskName`),
      thresholdUsd: number(rule.thresholdUsd, `${path}.thresholdUsd`),
      windowMinutes: number(rule.windowMinutes ?? 0, `${path}.windowMinutes`),
      baselineFactor:
        rule.baselineFactor === null || rule.baselineFactor === undefined
          ? null
          : number(rule.baselineFactor, `${path}.baselineFactor`),
      budgetPeriod: text(rule.budgetPeriod ?? '', `${path}.budgetPeriod`),
      enabled: rule.enabled === true,
      channelType: text(channel.type, `${path}.channel.type`),
      state: oneOf(status.state, STATES, `${path}.status.state`),
      subject: text(status.subject ?? '', `${path}.status.subject`),
      lastNotifiedAt: optionalText(status.lastNotifiedAt, `${path}.status.lastNotifiedAt`),
      breaches: number(status.breaches ?? 0, `${path}.status.breaches`),
    }
  })
}

export function decodeAlertEvents(body: unknown): AlertEventView[] {
  return items(body, 'events').map((value, index) => {
    const path = `events[${index}]`
    const event = object(value, path)
    return {
      id: text(event.id, `${path}.id`),
      ruleName: text(event.ruleName, `${path}.ruleName`),
      kind: oneOf(event.kind, KINDS, `${path}.kind`),
      taskId: text(event.taskId ?? '', `${path}.taskId`),
      message: text(event.message, `${path}.message`),
      valueUsd: optionalNumber(event.valueUsd, `${path}.valueUsd`),
      thresholdUsd: optionalNumber(event.thresholdUsd, `${path}.thresholdUsd`),
      deliveryStatus: oneOf(event.deliveryStatus, DELIVERY, `${path}.deliveryStatus`),
      attempts: number(event.attempts ?? 0, `${path}.attempts`),
      lastError: text(event.lastError ?? '', `${path}.lastError`),
      createdAt: text(event.createdAt, `${path}.createdAt`),
    }
  })
}

function items(body: unknown, field: string): unknown[] {
  const value = object(body, 'response')[field]
  if (!Array.isArray(value)) throw new ResponseShapeError(field, 'an array', value)
  return value
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResponseShapeError(path, 'an object', value)
  }
  return value as Record<string, unknown>
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ResponseShapeError(path, 'a string', value)
  return value
}

function optionalText(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : text(value, path)
}

function number(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseShapeError(path, 'a number', value)
  }
  return value
}

function optionalNumber(value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : number(value, path)
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (allowed.includes(value as T)) return value as T
  throw new ResponseShapeError(path, `one of ${allowed.join(', ')}`, value)
}

/** `PATCH /api/v1/alert-rules/:id` with `{ enabled }` (needs a key with the admin scope). */
export async function setAlertRuleEnabled(id: string, enabled: boolean): Promise<void> {
  await requestJson(apiPath(`/alert-rules/${encodeURIComponent(id)}`), {
    method: 'PATCH',
    body: { enabled },
  })
}
