import { randomBytes, randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import type { RuleFields } from './rule-input'
import type { BudgetPeriod, RuleType, StoredRule } from './rule'
import { fromDateTime64Millis, nextVersion, toDateTime64Millis } from './version'

interface RuleRow {
  project_id: string
  id: string
  name: string
  type: string
  task_name: string
  threshold: string
  window_minutes: number
  baseline_factor: number | null
  budget_period: string
  forecast: boolean
  environment: string
  service: string
  tags: Record<string, string>
  channel_type: string
  channel_url: string
  secret: string
  renotify_minutes: number
  notify_on_resolve: boolean
  enabled: boolean
  created: string
  updated: string
}

/** A per-rule signing secret: `whsec_` and 32 random bytes, base64url. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/**
 * Alert rules in ClickHouse, scoped by project. An edit or a deletion is a new version of the
 * row (deletion sets `deleted`), so every read goes through FINAL.
 */
export class RuleStore {
  constructor(private readonly client: ClickHouseClient) {}

  async create(projectId: string, fields: RuleFields): Promise<StoredRule> {
    const now = new Date().toISOString()
    const rule: StoredRule = {
      ...fields,
      id: randomUUID(),
      projectId,
      secret: generateSecret(),
      createdAt: now,
      updatedAt: now,
    }
    await this.write(rule, false)
    return rule
  }

  async update(rule: StoredRule, fields: RuleFields): Promise<StoredRule> {
    const updated: StoredRule = { ...rule, ...fields, updatedAt: new Date().toISOString() }
    await this.write(updated, false)
    return updated
  }

  async delete(rule: StoredRule): Promise<void> {
    await this.write({ ...rule, updatedAt: new Date().toISOString() }, true)
  }

  async get(projectId: string, id: string): Promise<StoredRule | null> {
    const rows = await this.select('project_id = {projectId:String} AND id = {id:String}', {
      projectId,
      id,
    })
    return rows[0] ?? null
  }

  async list(projectId: string): Promise<StoredRule[]> {
    return this.select('project_id = {projectId:String}', { projectId })
  }

  /** Every live rule of every project, for the evaluator. */
  async listAll(): Promise<StoredRule[]> {
    return this.select('1', {})
  }

  private async select(where: string, params: Record<string, unknown>): Promise<StoredRule[]> {
    const result = await this.client.query({
      query: `SELECT project_id, id, name, type, task_name, toString(threshold_usd) AS threshold,
          window_minutes, baseline_factor, budget_period, forecast, environment, service, tags,
          channel_type, channel_url, secret, renotify_minutes, notify_on_resolve, enabled,
          toString(created_at) AS created, toString(updated_at) AS updated
        FROM alert_rules FINAL
        WHERE ${where} AND NOT deleted
        ORDER BY created, id`,
      query_params: params,
      format: 'JSONEachRow',
    })
    return (await result.json<RuleRow>()).map(fromRow)
  }

  private async write(rule: StoredRule, deleted: boolean): Promise<void> {
    await this.client.insert({
      table: 'alert_rules',
      values: [toRow(rule, deleted)],
      format: 'JSONEachRow',
    })
  }
}

function toRow(rule: StoredRule, deleted: boolean) {
  return {
    project_id: rule.projectId,
    id: rule.id,
    name: rule.name,
    type: rule.type,
    task_name: rule.taskName,
    threshold_usd: rule.thresholdUsd,
    window_minutes: rule.windowMinutes,
    baseline_factor: rule.baselineFactor,
    budget_period: rule.budgetPeriod,
    forecast: rule.forecast,
    environment: rule.filters.environment,
    service: rule.filters.service,
    tags: rule.filters.tags,
    channel_type: rule.channel.type,
    channel_url: rule.channel.url,
    secret: rule.secret,
    renotify_minutes: rule.renotifyMinutes,
    notify_on_resolve: rule.notifyOnResolve,
    enabled: rule.enabled,
    deleted,
    created_at: toDateTime64Millis(new Date(rule.createdAt)),
    updated_at: toDateTime64Millis(new Date(rule.updatedAt)),
    version: nextVersion(),
  }
}

function fromRow(row: RuleRow): StoredRule {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    type: row.type as RuleType,
    taskName: row.task_name,
    thresholdUsd: row.threshold,
    windowMinutes: row.window_minutes,
    baselineFactor: row.baseline_factor,
    budgetPeriod: row.budget_period as BudgetPeriod | '',
    forecast: row.forecast,
    filters: { environment: row.environment, service: row.service, tags: row.tags },
    channel: { type: row.channel_type as 'webhook' | 'slack', url: row.channel_url },
    secret: row.secret,
    renotifyMinutes: row.renotify_minutes,
    notifyOnResolve: row.notify_on_resolve,
    enabled: row.enabled,
    createdAt: fromDateTime64Millis(row.created),
    updatedAt: fromDateTime64Millis(row.updated),
  }
}
