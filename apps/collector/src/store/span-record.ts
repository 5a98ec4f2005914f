import type { SpanRow } from '@agentmeter/core'

/** A `spans` table row as sent to ClickHouse in JSONEachRow (column names as in migration 1). */
export type SpanRecord = Record<string, unknown>

/** Maps a canonical span row onto the `spans` columns. */
export function toSpanRecord(row: SpanRow): SpanRecord {
  const usage = row.usage
  const fp = row.fingerprints
  return {
    project_id: row.projectId,
    trace_id: row.traceId,
    span_id: row.spanId,
    parent_span_id: row.parentSpanId,
    task_id: row.taskId,
    task_name: row.taskName,
    is_task_root: row.isTaskRoot,
    step: row.step,
    kind: row.kind,
    name: row.name,
    convention: row.convention,
    service_name: row.serviceName,
    environment: row.environment,
    provider: row.provider,
    request_model: row.requestModel,
    response_model: row.responseModel,
    operation: row.operation,
    tool_name: row.toolName,
    tool_call_id: row.toolCallId,
    conversation_id: row.conversationId,
    start_time: nanosToDateTime64(row.startTimeUnixNano, 'startTimeUnixNano'),
    end_time: nanosToDateTime64(row.endTimeUnixNano, 'endTimeUnixNano'),
    status: row.status,
    status_message: row.statusMessage,
    finish_reasons: row.finishReasons,
    usage_known: usage !== null,
    input_tokens: usage?.inputTokens ?? 0,
    output_tokens: usage?.outputTokens ?? 0,
    cache_read_tokens: usage?.cacheReadTokens ?? 0,
    cache_write_tokens: usage?.cacheWriteTokens ?? 0,
    cache_write_1h_tokens: usage?.cacheWrite1hTokens ?? 0,
    reasoning_tokens: usage?.reasoningTokens ?? 0,
    usage_extra: {
      ...row.usageExtra,
      ...(row.requests.webSearches ? { web_search_requests: row.requests.webSearches } : {}),
      ...(row.requests.fileSearches ? { file_search_requests: row.requests.fileSearches } : {}),
      ...(row.requests.codeExecutions
        ? { code_execution_requests: row.requests.codeExecutions }
        : {}),
    },
    usage_notes: row.usageNotes,
    priced: row.cost.priced,
    cost_usd: row.cost.costUsd,
    input_cost_usd: row.cost.inputCostUsd,
    output_cost_usd: row.cost.outputCostUsd,
    price_source: row.cost.source ?? '',
    price_catalog: row.cost.catalogVersion,
    price_provider: row.cost.matchedProvider,
    price_model: row.cost.matchedModel,
    price_tier: row.cost.tier,
    price_reason: row.cost.reason,
    sdk_cost_usd: row.sdkCostUsd,
    reported_cost_usd: row.reportedCostUsd,
    tool_cost_usd: row.toolCostUsd,
    outcome: row.outcome,
    score: row.score,
    request_hash: hashToUInt64(fp.requestHash),
    response_hash: hashToUInt64(fp.responseHash),
    system_hash: hashToUInt64(fp.systemHash),
    tools_hash: hashToUInt64(fp.toolsHash),
    prefix_hashes: fp.prefixHashes.map(hashToUInt64),
    prefix_tokens: fp.prefixTokens,
    minhash: fp.minhash.map(hashToUInt64),
    tool_args_hash: hashToUInt64(fp.toolArgsHash),
    tool_result_hash: hashToUInt64(fp.toolResultHash),
    attributes: row.attributes,
    resource_attributes: row.resourceAttributes,
  }
}

/**
 * What listeners of stored rows read of each (the alerts: project, task, start time). Kept in
 * place of a row acknowledged on its write-ahead entry until its insert returns, which may be a
 * second or more later: thousands of whole rows kept that long survived every young-generation
 * collection, and copying them was most of the collector's garbage-collection work.
 */
export function storedSummary(record: SpanRecord): SpanRecord {
  return {
    project_id: record.project_id,
    task_id: record.task_id,
    start_time: record.start_time,
  }
}

const HASH_PATTERN = /^[0-9a-f]{1,16}$/i

/** A 64-bit hash in hex (the attribute form) as a UInt64 decimal string; 0 when absent or bad. */
export function hashToUInt64(hex: string): string {
  return HASH_PATTERN.test(hex) ? BigInt(`0x${hex}`).toString() : '0'
}

/** The latest instant a DateTime64(9) column holds: 2^63 - 1 ns, 2262-04-11T23:47:16.854775807Z. */
const MAX_DATETIME64_NANOS = 2n ** 63n - 1n

/**
 * Epoch nanoseconds (decimal string) as a DateTime64(9) literal in UTC.
 *
 * @throws RangeError for a time the column cannot hold, so that one span with a wild timestamp
 *   is rejected on its own instead of failing the insert of its whole batch.
 */
export function nanosToDateTime64(nanos: string, field = 'time'): string {
  // Fast path, without BigInt, for a plain digit string within the column's range.
  if (
    DIGITS.test(nanos) &&
    (nanos.length < 19 || (nanos.length === 19 && nanos <= MAX_NANOS_TEXT))
  ) {
    const split = nanos.length - 9
    const seconds = split > 0 ? Number(nanos.slice(0, split)) : 0
    const fraction = split > 0 ? nanos.slice(split) : nanos.padStart(9, '0')
    return `${secondsToDateTime(seconds)}.${fraction}`
  }
  const value = BigInt(nanos)
  if (value < 0n || value > MAX_DATETIME64_NANOS) {
    throw new RangeError(
      `${field} ${nanos} ns is outside what is stored (0 to ${MAX_DATETIME64_NANOS} ns since the epoch, up to 2262-04-11)`,
    )
  }
  const seconds = value / 1_000_000_000n
  const fraction = (value % 1_000_000_000n).toString().padStart(9, '0')
  return `${secondsToDateTime(Number(seconds))}.${fraction}`
}

const DIGITS = /^\d+$/
const MAX_NANOS_TEXT = MAX_DATETIME64_NANOS.toString()

// The spans of one export fall on a few days at most: the date text is remembered per day, and
// only the time of day is formatted for each span (Date#toISOString per span was 5 % of ingest).
let cachedDay = Number.NaN
let cachedDate = ''

/** Whole epoch seconds as `YYYY-MM-DD hh:mm:ss` in UTC. */
function secondsToDateTime(seconds: number): string {
  const day = Math.floor(seconds / 86_400)
  if (day !== cachedDay) {
    cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 10)
    cachedDay = day
  }
  const inDay = seconds - day * 86_400
  const hours = Math.floor(inDay / 3600)
  const minutes = Math.floor((inDay % 3600) / 60)
  return `${cachedDate} ${pad2(hours)}:${pad2(minutes)}:${pad2(inDay % 60)}`
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}

/** A DateTime64 value as ClickHouse prints it (`2026-12-04 06:00:00.123456789`) to ISO 8601. */
export function dateTime64ToIso(value: string): string {
  const [date = '', time = ''] = value.split(' ')
  const [clock = '00:00:00', fraction = ''] = time.split('.')
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`
}
