import { picoToUsd, usdToPico } from '@agentmeter/core'
import { HttpError } from '../errors'
import { describeBlockedHost } from './address-guard'
import {
  BUDGET_PERIODS,
  CHANNEL_TYPES,
  RULE_TYPES,
  type AlertRule,
  type BudgetPeriod,
  type ChannelType,
} from './rule'

/** The fields of a rule a client sets; the rest (ids, times, secret) the server assigns. */
export type RuleFields = Omit<AlertRule, 'id' | 'projectId' | 'createdAt' | 'updatedAt'>

const KNOWN_FIELDS = [
  'name',
  'type',
  'taskName',
  'thresholdUsd',
  'windowMinutes',
  'baselineFactor',
  'budgetPeriod',
  'forecast',
  'environment',
  'service',
  'tags',
  'channel',
  'renotifyMinutes',
  'notifyOnResolve',
  'enabled',
]

const DEFAULT_WINDOW_MINUTES = 60
const MAX_WINDOW_MINUTES = 31 * 24 * 60

export interface RuleInputOptions {
  /** `AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1`: literal private or loopback targets are allowed. */
  allowPrivateWebhooks: boolean
}

/**
 * Validates a create (`existing` absent) or a PATCH (merged over `existing`) body into rule
 * fields. Every refusal is a 400 naming the field, the value and what was expected; an unknown
 * field is refused too, so a typo does not silently leave a default in place.
 */
export function parseRuleInput(
  body: unknown,
  options: RuleInputOptions,
  existing?: RuleFields,
): RuleFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'body must be a JSON object')
  }
  const input = body as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.includes(key)) {
      throw new HttpError(
        400,
        `unknown field ${JSON.stringify(key)}; expected one of ${KNOWN_FIELDS.join(', ')}`,
      )
    }
  }
  if (existing && input.type !== undefined && input.type !== existing.type) {
    throw new HttpError(
      400,
      `type cannot change (from ${existing.type} to ${JSON.stringify(input.type)}); create a new rule instead`,
    )
  }

  const has = (key: string) => input[key] !== undefined
  const type = has('type') ? parseEnum('type', input.type, RULE_TYPES) : existing?.type
  if (type === undefined) throw missing('type', RULE_TYPES.join(', '))
  const name = has('name') ? parseName(input.name) : existing?.name
  if (name === undefined) throw missing('name', 'a non-empty string')

  const taskName = has('taskName')
    ? parseString('taskName', input.taskName)
    : (existing?.taskName ?? '')
  if (type === 'task_cost_p95' && taskName === '') {
    throw new HttpError(
      400,
      'taskName is required for a task_cost_p95 rule: the task name whose p95 is watched',
    )
  }

  const thresholdUsd = has('thresholdUsd')
    ? parseMoney(input.thresholdUsd)
    : (existing?.thresholdUsd ?? (type === 'unpriced_spend' ? picoToUsd(0n) : undefined))
  if (thresholdUsd === undefined) throw missing('thresholdUsd', 'a non-negative number of USD')

  const windowed = type === 'task_cost_p95' || type === 'unpriced_spend'
  const windowMinutes = has('windowMinutes')
    ? parseInteger('windowMinutes', input.windowMinutes, 1, MAX_WINDOW_MINUTES)
    : (existing?.windowMinutes ?? (windowed ? DEFAULT_WINDOW_MINUTES : 0))

  const baselineFactor = has('baselineFactor')
    ? parseFactor(input.baselineFactor)
    : (existing?.baselineFactor ?? null)
  if (baselineFactor !== null && type !== 'task_cost_p95') {
    throw new HttpError(400, `baselineFactor applies to task_cost_p95 rules only, not ${type}`)
  }

  const budgetPeriod: BudgetPeriod | '' = has('budgetPeriod')
    ? parseEnum('budgetPeriod', input.budgetPeriod, BUDGET_PERIODS)
    : existing?.budgetPeriod || (type === 'spend_budget' ? 'day' : '')
  if (budgetPeriod !== '' && type !== 'spend_budget') {
    throw new HttpError(400, `budgetPeriod applies to spend_budget rules only, not ${type}`)
  }

  return {
    name,
    type,
    taskName,
    thresholdUsd,
    windowMinutes: type === 'task_cost' || type === 'spend_budget' ? 0 : windowMinutes,
    baselineFactor,
    budgetPeriod,
    forecast: has('forecast')
      ? parseBoolean('forecast', input.forecast)
      : (existing?.forecast ?? type === 'spend_budget'),
    filters: {
      environment: has('environment')
        ? parseString('environment', input.environment)
        : (existing?.filters.environment ?? ''),
      service: has('service')
        ? parseString('service', input.service)
        : (existing?.filters.service ?? ''),
      tags: has('tags') ? parseTags(input.tags) : (existing?.filters.tags ?? {}),
    },
    channel: has('channel')
      ? parseChannel(input.channel, options)
      : existingOrMissingChannel(existing),
    renotifyMinutes: has('renotifyMinutes')
      ? parseInteger('renotifyMinutes', input.renotifyMinutes, 0, MAX_WINDOW_MINUTES)
      : (existing?.renotifyMinutes ?? 0),
    notifyOnResolve: has('notifyOnResolve')
      ? parseBoolean('notifyOnResolve', input.notifyOnResolve)
      : (existing?.notifyOnResolve ?? true),
    enabled: has('enabled') ? parseBoolean('enabled', input.enabled) : (existing?.enabled ?? true),
  }
}

function existingOrMissingChannel(existing: RuleFields | undefined) {
  if (!existing) throw missing('channel', "{ type: 'webhook' | 'slack', url }")
  return existing.channel
}

function missing(field: string, expected: string): HttpError {
  return new HttpError(400, `${field} is required: expected ${expected}`)
}

function parseEnum<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  throw new HttpError(
    400,
    `${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
  )
}

function parseName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new HttpError(
      400,
      `name must be a non-empty string of at most 200 characters, got ${JSON.stringify(value)}`,
    )
  }
  return value.trim()
}

function parseString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) {
    throw new HttpError(
      400,
      `${field} must be a string of at most 500 characters, got ${JSON.stringify(value)}`,
    )
  }
  return value.trim()
}

function parseMoney(value: unknown): string {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= 0
  if (!ok || value > 1e12) {
    throw new HttpError(
      400,
      `thresholdUsd must be a non-negative number of USD (such as 0.5), got ${JSON.stringify(value)}`,
    )
  }
  return picoToUsd(usdToPico(value))
}

function parseInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(
      400,
      `${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    )
  }
  return value
}

function parseFactor(value: unknown): number | null {
  if (value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1000) {
    throw new HttpError(
      400,
      `baselineFactor must be a number above 0 and at most 1000 (such as 1.5), got ${JSON.stringify(value)}`,
    )
  }
  return value
}

function parseBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new HttpError(400, `${field} must be true or false, got ${JSON.stringify(value)}`)
  }
  return value
}

function parseTags(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(
      400,
      `tags must be an object of attribute names to string values such as { "team": "support" }, got ${JSON.stringify(value)}`,
    )
  }
  const tags: Record<string, string> = {}
  for (const [key, tagValue] of Object.entries(value)) {
    if (key === '' || typeof tagValue !== 'string') {
      throw new HttpError(
        400,
        `tags.${key} must be a string attribute value, got ${JSON.stringify(tagValue)}`,
      )
    }
    tags[key] = tagValue
  }
  return tags
}

function parseChannel(value: unknown, options: RuleInputOptions) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(
      400,
      `channel must be an object { type: 'webhook' | 'slack', url }, got ${JSON.stringify(value)}`,
    )
  }
  const channel = value as Record<string, unknown>
  const type: ChannelType = parseEnum('channel.type', channel.type, CHANNEL_TYPES)
  return { type, url: parseWebhookUrl(channel.url, options) }
}

/**
 * An absolute http(s) URL. Slack webhook URLs are secrets, so refusals show the scheme and host
 * but never the path or query.
 */
export function parseWebhookUrl(value: unknown, options: RuleInputOptions): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(
      400,
      `channel.url must be an absolute http or https URL such as https://hooks.example.com/agentmeter, got ${JSON.stringify(value)}`,
    )
  }
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    const shown = value.length > 16 ? `${value.slice(0, 16)}…` : value
    throw new HttpError(
      400,
      `channel.url must be an absolute http or https URL such as https://hooks.example.com/agentmeter, got a malformed URL ${JSON.stringify(shown)}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpError(
      400,
      `channel.url must use the http or https scheme, got ${JSON.stringify(url.protocol.replace(/:$/, ''))}`,
    )
  }
  if (url.username || url.password) {
    throw new HttpError(400, 'channel.url must not carry a user name or password')
  }
  if (!options.allowPrivateWebhooks) {
    const blocked = describeBlockedHost(url.hostname)
    if (blocked) {
      throw new HttpError(
        400,
        `channel.url targets ${url.hostname}, ${blocked}; webhooks to loopback, private or link-local addresses are refused unless AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1`,
      )
    }
  }
  return url.toString()
}
