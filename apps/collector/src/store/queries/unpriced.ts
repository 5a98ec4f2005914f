import type { ClickHouseClient } from '@clickhouse/client'
import { dateTime64ToIso } from '../span-record'
import type { TimeRange } from './time-range'

export interface UnpricedModel {
  provider: string
  model: string
  calls: number
  /** Share of all model calls in the range, 0..1. */
  share: number
  /** Why one of them was unpriced (they usually share the reason). */
  reason: string
  firstSeen: string
  lastSeen: string
}

export interface UnpricedReport {
  totalCalls: number
  unpricedCalls: number
  unpricedShare: number
  models: UnpricedModel[]
}

/**
 * The model calls of a range that carry no price, by model: what to add a custom price for
 * (then `reprice`), so that nothing is silently left out of a cost.
 */
export async function queryUnpriced(
  client: ClickHouseClient,
  query: { projectId: string; range: TimeRange },
): Promise<UnpricedReport> {
  const params = { projectId: query.projectId, ...query.range }
  const where = `project_id = {projectId:String}
    AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
    AND kind IN ('llm', 'embedding')`
  const totals = await client.query({
    query: `SELECT toString(count()) AS total, toString(countIf(NOT priced)) AS unpriced
      FROM spans FINAL WHERE ${where}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const [counts] = await totals.json<{ total: string; unpriced: string }>()
  const totalCalls = Number(counts?.total ?? 0)
  const unpricedCalls = Number(counts?.unpriced ?? 0)
  const result = await client.query({
    query: `SELECT provider, if(response_model != '', response_model, request_model) AS model,
        toString(count()) AS calls, any(price_reason) AS reason,
        toString(min(start_time)) AS first_seen, toString(max(start_time)) AS last_seen
      FROM spans FINAL
      WHERE ${where} AND NOT priced
      GROUP BY provider, model
      ORDER BY count() DESC, model`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    provider: string
    model: string
    calls: string
    reason: string
    first_seen: string
    last_seen: string
  }>()
  const share = (calls: number) => (totalCalls === 0 ? 0 : calls / totalCalls)
  return {
    totalCalls,
    unpricedCalls,
    unpricedShare: share(unpricedCalls),
    models: rows.map((row) => ({
      provider: row.provider,
      model: row.model,
      calls: Number(row.calls),
      share: share(Number(row.calls)),
      reason: row.reason,
      firstSeen: dateTime64ToIso(row.first_seen),
      lastSeen: dateTime64ToIso(row.last_seen),
    })),
  }
}
