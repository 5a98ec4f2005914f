import type { ClickHouseClient } from '@clickhouse/client'
import {
  priceSpan,
  usdToPico,
  type PriceBook,
  type RequestCounts,
  type SpanKind,
  type SpanPricing,
} from '@agentmeter/core'
import type { TimeRange } from './queries/time-range'

export interface RepriceQuery {
  projectId: string
  range: TimeRange
  /** Only spans whose requested or served model is this one. */
  model?: string
  priceBook: PriceBook
  /** Called after each page with the spans scanned so far and the total to scan. */
  onProgress?: (scanned: number, total: number) => void
  pageSize?: number
}

export interface RepriceResult {
  /** Spans read in the range. */
  scanned: number
  /** Spans whose price changed and were written again. */
  changed: number
}

type StoredRow = Record<string, unknown> & {
  kind: SpanKind
  provider: string
  request_model: string
  response_model: string
  tool_name: string
  start_time: string
  trace_id: string
  span_id: string
  usage_known: boolean
  input_tokens: string
  output_tokens: string
  cache_read_tokens: string
  cache_write_tokens: string
  cache_write_1h_tokens: string
  reasoning_tokens: string
  usage_extra: Record<string, string | number>
  attributes: Record<string, string>
  ingested_at: string
}

interface PageCursor {
  start: string
  trace: string
  span: string
}

const PRICED_KINDS = `kind IN ('llm', 'embedding', 'tool')`

/**
 * Prices the stored spans of a range again with today's catalog, rules and the project's price
 * book, exactly as ingest would price them now, and writes back only the rows whose price
 * changed. A rewritten row has the same sort key and a newer `ingested_at`, so the
 * ReplacingMergeTree keeps only it and every `FINAL` read counts it once: reprice never
 * double-counts, and a second run finds nothing to change.
 */
export async function repriceSpans(
  client: ClickHouseClient,
  query: RepriceQuery,
): Promise<RepriceResult> {
  const params = {
    projectId: query.projectId,
    from: query.range.from,
    to: query.range.to,
    model: query.model ?? '',
  }
  const where = `project_id = {projectId:String}
    AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
    AND ${PRICED_KINDS}
    AND ({model:String} = '' OR request_model = {model:String} OR response_model = {model:String})`
  const counted = await client.query({
    query: `SELECT toString(count()) AS total FROM spans FINAL WHERE ${where}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const total = Number((await counted.json<{ total: string }>())[0]?.total ?? 0)

  const pageSize = query.pageSize ?? 5000
  let scanned = 0
  let changed = 0
  let after: PageCursor | null = null
  query.onProgress?.(0, total)
  for (;;) {
    const result: { json<T>(): Promise<T[]> } = await client.query({
      query: `SELECT * FROM spans FINAL
        WHERE ${where}
          ${after ? `AND (start_time, trace_id, span_id) > ({afterStart:DateTime64(9, 'UTC')}, {afterTrace:String}, {afterSpan:String})` : ''}
        ORDER BY start_time, trace_id, span_id
        LIMIT {limit:UInt32}`,
      query_params: {
        ...params,
        limit: pageSize,
        ...(after
          ? { afterStart: after.start, afterTrace: after.trace, afterSpan: after.span }
          : {}),
      },
      format: 'JSONEachRow',
      clickhouse_settings: { output_format_json_quote_decimals: 1 },
    })
    const rows: StoredRow[] = await result.json<StoredRow>()
    if (rows.length === 0) break
    const rewritten: StoredRow[] = []
    for (const row of rows) {
      const updated = reprice(row, query.priceBook)
      if (updated) rewritten.push(updated)
    }
    if (rewritten.length > 0) {
      // No deduplication token: the embedded engine would keep it for the session's later
      // inserts. A retried reprice writes the same rows again, which FINAL collapses.
      await client.insert({ table: 'spans', values: rewritten, format: 'JSONEachRow' })
    }
    scanned += rows.length
    changed += rewritten.length
    query.onProgress?.(scanned, total)
    const last: StoredRow = rows[rows.length - 1]!
    after = { start: last.start_time, trace: last.trace_id, span: last.span_id }
    if (rows.length < pageSize) break
  }
  return { scanned, changed }
}

/** The row with its new price, or null when its price is unchanged. */
function reprice(row: StoredRow, book: PriceBook): StoredRow | null {
  const pricing = priceSpan(
    {
      kind: row.kind,
      provider: row.provider,
      requestModel: row.request_model,
      responseModel: row.response_model,
      toolName: row.tool_name,
      usage: row.usage_known
        ? {
            inputTokens: Number(row.input_tokens),
            outputTokens: Number(row.output_tokens),
            cacheReadTokens: Number(row.cache_read_tokens),
            cacheWriteTokens: Number(row.cache_write_tokens),
            cacheWrite1hTokens: Number(row.cache_write_1h_tokens),
            reasoningTokens: Number(row.reasoning_tokens),
          }
        : null,
      requests: readRequests(row.usage_extra),
      at: new Date(`${row.start_time.replace(' ', 'T').slice(0, 23)}Z`),
      attributes: row.attributes,
    },
    book,
  )
  const next = priceColumns(pricing)
  const same = Object.entries(next).every(([column, value]) => equal(row[column], value))
  if (same) return null
  return { ...row, ...next, ingested_at: newerThan(row.ingested_at) }
}

/** The `spans` columns a price fills (as `toSpanRecord` writes them). */
function priceColumns(pricing: SpanPricing): Record<string, unknown> {
  const cost = pricing.cost
  return {
    priced: cost.priced,
    cost_usd: cost.costUsd,
    input_cost_usd: cost.inputCostUsd,
    output_cost_usd: cost.outputCostUsd,
    price_source: cost.source ?? '',
    price_catalog: cost.catalogVersion,
    price_provider: cost.matchedProvider,
    price_model: cost.matchedModel,
    price_tier: cost.tier,
    price_reason: cost.reason,
    sdk_cost_usd: pricing.sdkCostUsd,
    reported_cost_usd: pricing.reportedCostUsd,
    tool_cost_usd: pricing.toolCostUsd,
  }
}

function readRequests(extra: Record<string, string | number>): RequestCounts {
  const requests: RequestCounts = {}
  const read = (key: string, unit: keyof RequestCounts) => {
    const value = Number(extra[key] ?? 0)
    if (value > 0) requests[unit] = value
  }
  read('web_search_requests', 'webSearches')
  read('file_search_requests', 'fileSearches')
  read('code_execution_requests', 'codeExecutions')
  return requests
}

/** Stored and new values compared as what they mean: decimals by value, the rest as is. */
function equal(stored: unknown, next: unknown): boolean {
  if (stored === null || next === null || stored === undefined) return stored === next
  if (typeof next === 'string' && typeof stored === 'string' && /^-?\d+\.\d+$/.test(next)) {
    try {
      return usdToPico(stored) === usdToPico(next)
    } catch {
      return false
    }
  }
  return stored === next
}

/** A version strictly newer than the stored one, even within the same millisecond. */
function newerThan(ingestedAt: string): string {
  const stored = new Date(`${ingestedAt.replace(' ', 'T')}Z`).getTime()
  const next = Math.max(Date.now(), Number.isNaN(stored) ? 0 : stored + 1)
  return new Date(next).toISOString().replace('T', ' ').replace('Z', '')
}
