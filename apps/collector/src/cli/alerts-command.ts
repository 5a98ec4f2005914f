import { loadConfig } from '../config'
import path from 'node:path'
import { collectorAddress } from './collector-address'
import { noMoreArguments, parseOptions } from './parse-options'
import { missingKeyMessage, projectKey } from './project-key'
import { requestCollector } from './store-or-collector'
import { UsageError } from './usage-error'

/**
 * `agentmeter alerts ...`: manage alert rules and send test notifications. Rules live in the
 * collector's store, and the embedded engine belongs to the one process that runs it, so every
 * subcommand goes through a running collector's API with a project key.
 */
export async function alertsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  const { values, positionals } = parseOptions(`alerts ${sub ?? ''}`.trim(), rest, {
    endpoint: { type: 'string' },
    key: { type: 'string' },
    data: { type: 'string' },
    project: { type: 'string' },
    json: { type: 'boolean', default: false },
    name: { type: 'string' },
    type: { type: 'string' },
    threshold: { type: 'string' },
    url: { type: 'string' },
    channel: { type: 'string' },
    'task-name': { type: 'string' },
    window: { type: 'string' },
    period: { type: 'string' },
    'baseline-factor': { type: 'string' },
    environment: { type: 'string' },
    service: { type: 'string' },
    tag: { type: 'string', multiple: true },
    rule: { type: 'string' },
    limit: { type: 'string' },
  })
  // The rule commands take the rule (id or name); the others no argument.
  if (sub !== undefined && ALERT_COMMANDS.includes(sub)) {
    noMoreArguments(`alerts ${sub}`, positionals, RULE_COMMANDS.includes(sub) ? 1 : 0)
  }
  const api = createApiClient(values)
  const json = values.json ?? false

  switch (sub) {
    case 'list': {
      const { rules } = await api<{ rules: RuleJson[] }>('GET', '/alert-rules')
      if (json) console.log(JSON.stringify(rules))
      else if (rules.length === 0) console.log('no alert rules in this project')
      else for (const rule of rules) console.log(describeRule(rule))
      return 0
    }
    case 'create': {
      const body = ruleFields(values)
      body.channel = { type: values.channel ?? 'webhook', url: values.url }
      const { rule, secret } = await api<{ rule: RuleJson; secret: string }>(
        'POST',
        '/alert-rules',
        body,
      )
      if (json) console.log(JSON.stringify({ rule, secret }))
      else {
        console.log(describeRule(rule))
        console.log(`signing secret (shown once): ${secret}`)
      }
      return 0
    }
    case 'update': {
      const rule = await findRule(api, positionals[0])
      const body = ruleFields(values)
      // The channel is one field of the API: a new URL keeps the channel's type, and the reverse.
      if (values.url !== undefined || values.channel !== undefined) {
        body.channel = {
          type: values.channel ?? rule.channel.type,
          url: values.url ?? rule.channel.url,
        }
      }
      if (Object.keys(body).length === 0) {
        throw new UsageError(
          `alerts update ${positionals[0]} changes nothing: give one or more of ${UPDATE_FLAGS.join(', ')}`,
        )
      }
      const { rule: updated } = await api<{ rule: RuleJson }>(
        'PATCH',
        `/alert-rules/${encodeURIComponent(rule.id)}`,
        body,
      )
      console.log(json ? JSON.stringify(updated) : describeRule(updated))
      return 0
    }
    case 'enable':
    case 'disable':
    case 'delete':
    case 'test': {
      const rule = await findRule(api, positionals[0])
      if (sub === 'delete') {
        await api('DELETE', `/alert-rules/${encodeURIComponent(rule.id)}`)
        console.log(`deleted ${rule.name} (${rule.id})`)
        return 0
      }
      if (sub === 'test') return testRule(api, rule, json)
      const { rule: updated } = await api<{ rule: RuleJson }>(
        'PATCH',
        `/alert-rules/${encodeURIComponent(rule.id)}`,
        { enabled: sub === 'enable' },
      )
      console.log(json ? JSON.stringify(updated) : describeRule(updated))
      return 0
    }
    case 'events': {
      const params = new URLSearchParams()
      if (values.rule) params.set('ruleId', (await findRule(api, values.rule)).id)
      if (values.limit) params.set('limit', values.limit)
      const query = params.size > 0 ? `?${params}` : ''
      const { events } = await api<{ events: EventJson[] }>('GET', `/alert-events${query}`)
      if (json) console.log(JSON.stringify(events))
      else if (events.length === 0) console.log('no alert events')
      else {
        for (const event of events) {
          console.log(
            `${event.createdAt}  ${event.kind.padEnd(8)} ${event.deliveryStatus.padEnd(10)} ${event.ruleName}: ${event.message}`,
          )
        }
      }
      return 0
    }
    default:
      throw new UsageError(
        `unknown alerts command ${JSON.stringify(sub ?? '')}; expected one of list, create, update, enable, disable, delete, test, events`,
      )
  }
}

const RULE_COMMANDS = ['update', 'enable', 'disable', 'delete', 'test']
const ALERT_COMMANDS = ['list', 'create', 'events', ...RULE_COMMANDS]

interface RuleJson {
  id: string
  name: string
  type: string
  thresholdUsd: number
  enabled: boolean
  channel: { type: string; url: string }
  status: { state: string }
}

interface EventJson {
  id: string
  kind: string
  ruleName: string
  message: string
  deliveryStatus: string
  attempts: number
  lastError: string
  createdAt: string
}

type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>

/** The flags of `alerts update`: the rule's fields it may change. */
const UPDATE_FLAGS = [
  '--name',
  '--threshold',
  '--task-name',
  '--window',
  '--period',
  '--baseline-factor',
  '--environment',
  '--service',
  '--tag',
  '--url',
  '--channel',
]

/** The API fields of the rule flags given (the API validates them and names what it refuses). */
function ruleFields(values: {
  name?: string
  type?: string
  threshold?: string
  'task-name'?: string
  window?: string
  period?: string
  'baseline-factor'?: string
  environment?: string
  service?: string
  tag?: string[]
}): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (values.name !== undefined) body.name = values.name
  if (values.type !== undefined) body.type = values.type
  if (values.threshold !== undefined) body.thresholdUsd = numberFlag('threshold', values.threshold)
  if (values['task-name'] !== undefined) body.taskName = values['task-name']
  if (values.window !== undefined) body.windowMinutes = numberFlag('window', values.window)
  if (values.period !== undefined) body.budgetPeriod = values.period
  if (values['baseline-factor'] !== undefined) {
    body.baselineFactor = numberFlag('baseline-factor', values['baseline-factor'])
  }
  if (values.environment !== undefined) body.environment = values.environment
  if (values.service !== undefined) body.service = values.service
  if (values.tag) body.tags = parseTags(values.tag)
  return body
}

/**
 * The API of the collector the alerts commands talk to, found by the rule every command that
 * goes through a collector follows (see collector-address.ts), with `AGENTMETER_ENDPOINT` as
 * the environment's `--endpoint`.
 */
function createApiClient(flags: {
  endpoint?: string
  key?: string
  data?: string
  project?: string
}): Api {
  const config = loadConfig()
  const dataDir = flags.data ?? config.dataDir
  const explicit = flags.endpoint
    ? { url: flags.endpoint, from: 'given by --endpoint' }
    : { url: process.env.AGENTMETER_ENDPOINT, from: 'given by AGENTMETER_ENDPOINT' }
  const address = collectorAddress(config, dataDir, explicit)
  // A store named with --data is the one meant: with no collector running on it, the default
  // address would reach another store's collector (and refuse this store's keys).
  if (flags.data !== undefined && address.source === 'default') {
    throw new UsageError(
      `no collector is running on the store under ${path.resolve(dataDir)}, and alert rules are served by a running collector: start one there with "pnpm agentmeter start --data ${flags.data}", or pass --endpoint URL`,
    )
  }
  const endpoint = address.url
  const key = projectKey(config, dataDir, flags)
  if (!key) {
    throw new UsageError(missingKeyMessage('alerts commands', endpoint, dataDir, flags.project))
  }
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await requestCollector(`${endpoint}/api/v1${path}`, method, key, body)
    if (!answer) {
      throw new Error(
        `no collector answered at ${endpoint}; alert rules live in a running collector's store: start one with "pnpm agentmeter start" or pass --endpoint URL (that address: ${address.from})`,
      )
    }
    if (!answer.ok) {
      // A refused key may be a key of another store's collector: say how this one was found.
      const whence = answer.status === 401 ? ` (that address: ${address.from})` : ''
      const message = `the collector at ${endpoint} refused (${answer.status}): ${answer.body.error ?? 'no reason given'}${whence}`
      throw answer.status === 400 ? new UsageError(message) : new Error(message)
    }
    return answer.body as T
  }
}

/** A rule by id, or by name when exactly one rule has it. */
async function findRule(api: Api, ref: string | undefined): Promise<RuleJson> {
  if (!ref) throw new UsageError('name the rule: its id or its name')
  const { rules } = await api<{ rules: RuleJson[] }>('GET', '/alert-rules')
  const byId = rules.find((rule) => rule.id === ref)
  if (byId) return byId
  const byName = rules.filter((rule) => rule.name === ref)
  if (byName.length === 1) return byName[0]!
  if (byName.length > 1) {
    throw new Error(`${byName.length} rules are named ${JSON.stringify(ref)}; use the rule id`)
  }
  throw new Error(`no alert rule with id or name ${JSON.stringify(ref)}`)
}

async function testRule(api: Api, rule: RuleJson, json: boolean): Promise<number> {
  const { event } = await api<{ event: EventJson }>(
    'POST',
    `/alert-rules/${encodeURIComponent(rule.id)}/test`,
  )
  if (json) console.log(JSON.stringify(event))
  else if (event.deliveryStatus === 'delivered') {
    console.log(
      `test notification delivered to the ${rule.channel.type} of ${rule.name} (${event.attempts} attempt(s))`,
    )
  } else {
    console.error(
      `test notification not delivered after ${event.attempts} attempt(s): ${event.lastError}`,
    )
  }
  return event.deliveryStatus === 'delivered' ? 0 : 1
}

function describeRule(rule: RuleJson): string {
  const enabled = rule.enabled ? '' : ' (disabled)'
  return `${rule.id}  ${rule.name}  ${rule.type} > $${rule.thresholdUsd}  ${rule.channel.type}  ${rule.status.state}${enabled}`
}

function numberFlag(name: string, value: string): number {
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`)
  }
  return number
}

function parseTags(values: string[]): Record<string, string> {
  const tags: Record<string, string> = {}
  for (const value of values) {
    const at = value.indexOf('=')
    if (at <= 0) throw new UsageError(`--tag must be KEY=VALUE, got ${JSON.stringify(value)}`)
    tags[value.slice(0, at)] = value.slice(at + 1)
  }
  return tags
}
