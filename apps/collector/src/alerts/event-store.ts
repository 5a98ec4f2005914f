import type { ClickHouseClient } from '@clickhouse/client'
import { fromDateTime64Millis, nextVersion, toDateTime64Millis } from './version'

export type EventKind = 'firing' | 'warning' | 'resolved' | 'renotify' | 'test'
/** `suppressed`: recorded but not sent (a backlog replay, or over the per-rule rate limit). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'suppressed'

export interface AlertEvent {
  id: string
  projectId: string
  ruleId: string
  ruleName: string
  kind: EventKind
  subject: string
  taskId: string
  taskName: string
  valueUsd: string | null
  thresholdUsd: string | null
  message: string
  /** The webhook body, exactly as signed and sent (JSON). */
  payload: string
  deliveryStatus: DeliveryStatus
  attempts: number
  lastError: string
  createdAt: string
  deliveredAt: string | null
}

export interface DeliveryAttempt {
  eventId: string
  ruleId: string
  attempt: number
  ok: boolean
  statusCode: number
  error: string
  durationMs: number
  at: string
}

interface EventRow {
  project_id: string
  id: string
  rule_id: string
  rule_name: string
  kind: string
  subject: string
  task_id: string
  task_name: string
  value: string | null
  threshold: string | null
  message: string
  payload: string
  delivery_status: string
  attempts: number
  last_error: string
  created: string
  delivered: string | null
}

const EVENT_COLUMNS = `project_id, id, rule_id, rule_name, kind, subject, task_id, task_name,
  if(isNull(value_usd), NULL, toString(value_usd)) AS value,
  if(isNull(threshold_usd), NULL, toString(threshold_usd)) AS threshold,
  message, payload, delivery_status, attempts, last_error, toString(created_at) AS created,
  if(isNull(delivered_at), NULL, toString(delivered_at)) AS delivered`

export interface EventListQuery {
  ruleId?: string
  limit: number
}

/** Alert events (the history) and the log of every delivery attempt. */
export class EventStore {
  constructor(private readonly client: ClickHouseClient) {}

  /** Writes the event's current version (a new event, or its delivery progress). */
  async save(event: AlertEvent): Promise<void> {
    await this.client.insert({
      table: 'alert_events',
      values: [
        {
          project_id: event.projectId,
          id: event.id,
          rule_id: event.ruleId,
          rule_name: event.ruleName,
          kind: event.kind,
          subject: event.subject,
          task_id: event.taskId,
          task_name: event.taskName,
          value_usd: event.valueUsd,
          threshold_usd: event.thresholdUsd,
          message: event.message,
          payload: event.payload,
          delivery_status: event.deliveryStatus,
          attempts: event.attempts,
          last_error: event.lastError,
          created_at: toDateTime64Millis(new Date(event.createdAt)),
          delivered_at:
            event.deliveredAt === null ? null : toDateTime64Millis(new Date(event.deliveredAt)),
          version: nextVersion(),
        },
      ],
      format: 'JSONEachRow',
    })
  }

  async logAttempt(projectId: string, attempt: DeliveryAttempt): Promise<void> {
    await this.client.insert({
      table: 'alert_deliveries',
      values: [
        {
          project_id: projectId,
          event_id: attempt.eventId,
          rule_id: attempt.ruleId,
          attempt: attempt.attempt,
          ok: attempt.ok,
          status_code: attempt.statusCode,
          error: attempt.error,
          duration_ms: attempt.durationMs,
          at: toDateTime64Millis(new Date(attempt.at)),
        },
      ],
      format: 'JSONEachRow',
    })
  }

  /** A project's events, newest first. */
  async list(projectId: string, query: EventListQuery): Promise<AlertEvent[]> {
    return this.select(
      `project_id = {projectId:String} ${query.ruleId ? 'AND rule_id = {ruleId:String}' : ''}`,
      { projectId, ruleId: query.ruleId, limit: query.limit },
    )
  }

  /** One event of a project; another project's event and a missing one are alike (null). */
  async find(projectId: string, eventId: string): Promise<AlertEvent | null> {
    const [event] = await this.select('project_id = {projectId:String} AND id = {eventId:String}', {
      projectId,
      eventId,
      limit: 1,
    })
    return event ?? null
  }

  /** Events of every project still waiting for delivery, oldest first (resumed at start). */
  async pending(): Promise<AlertEvent[]> {
    const events = await this.select(`delivery_status = 'pending'`, { limit: 10_000 })
    return events.reverse()
  }

  async deliveries(projectId: string, eventId: string): Promise<DeliveryAttempt[]> {
    const result = await this.client.query({
      query: `SELECT event_id, rule_id, attempt, ok, status_code, error, duration_ms,
          toString(at) AS at_text
        FROM alert_deliveries
        WHERE project_id = {projectId:String} AND event_id = {eventId:String}
        ORDER BY attempt`,
      query_params: { projectId, eventId },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{
      event_id: string
      rule_id: string
      attempt: number
      ok: boolean
      status_code: number
      error: string
      duration_ms: number
      at_text: string
    }>()
    return rows.map((row) => ({
      eventId: row.event_id,
      ruleId: row.rule_id,
      attempt: row.attempt,
      ok: row.ok,
      statusCode: row.status_code,
      error: row.error,
      durationMs: row.duration_ms,
      at: fromDateTime64Millis(row.at_text),
    }))
  }

  private async select(where: string, params: Record<string, unknown>): Promise<AlertEvent[]> {
    const result = await this.client.query({
      query: `SELECT ${EVENT_COLUMNS} FROM alert_events FINAL
        WHERE ${where}
        ORDER BY created_at DESC, id DESC
        LIMIT {limit:UInt32}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    return (await result.json<EventRow>()).map((row) => ({
      id: row.id,
      projectId: row.project_id,
      ruleId: row.rule_id,
      ruleName: row.rule_name,
      kind: row.kind as EventKind,
      subject: row.subject,
      taskId: row.task_id,
      taskName: row.task_name,
      valueUsd: row.value,
      thresholdUsd: row.threshold,
      message: row.message,
      payload: row.payload,
      deliveryStatus: row.delivery_status as DeliveryStatus,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: fromDateTime64Millis(row.created),
      deliveredAt: row.delivered === null ? null : fromDateTime64Millis(row.delivered),
    }))
  }
}
