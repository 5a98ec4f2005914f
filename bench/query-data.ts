import fs from 'node:fs'
import path from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { refreshStaleHours } from '../apps/collector/src/store/rollups/refresh'

/**
 * The query benchmark's workload, generated inside ClickHouse (INSERT ... SELECT FROM numbers)
 * so ten million spans load in minutes. Tasks of 20 spans over 30 days in three projects (70 /
 * 20 / 10 %): a task root, 13 LLM calls and 6 tool calls, six task types with their own models
 * (OpenAI and Anthropic, an unknown model on 1 % of calls, left unpriced), token mixes that grow
 * along the task with cache reads on most later calls, and fingerprints with real waste: exact
 * duplicate calls (4 % of one call position), a system prompt shared by every task of a type
 * (missed caching across tasks), a type whose system prompt carries a timestamp (cache
 * breakers), near-duplicate prompts (MinHash bands shared by neighbouring tasks), repeated
 * read-only tool calls and a loop in 1 of 20 tasks of one type.
 *
 * Rows go into `spans` as ingest writes them, so the delivery view counts them as it counts
 * ingested spans, and the rollups are then built by the collector's own refresh
 * (`refreshStaleHours`), exactly as the background refresher builds them after ingest.
 */
export const WORKLOAD_VERSION = 1
export const DAYS = 30
export const SPANS_PER_TASK = 20
export const FIRST_DAY = '2026-11-01'
export const TASK_TYPES = [
  'airline-booking',
  'support-triage',
  'code-review',
  'research',
  'sql-agent',
  'summarize',
]

export interface Workload {
  spans: number
  projectIds: string[]
}

interface Marker {
  version: number
  spans: number
  projectIds: string[]
}

const MARKER = 'bench-query-marker.json'

/** True when the directory already holds this workload (same version, size and projects). */
export function hasWorkload(dataDir: string, workload: Workload): boolean {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dataDir, MARKER), 'utf8')) as Marker
    return (
      marker.version === WORKLOAD_VERSION &&
      marker.spans === workload.spans &&
      marker.projectIds.join() === workload.projectIds.join()
    )
  } catch {
    return false
  }
}

/** Loads the workload (the store must be empty of spans) and builds the rollups. */
export async function loadWorkload(
  client: ClickHouseClient,
  dataDir: string,
  workload: Workload,
  log: (line: string) => void,
): Promise<{ insertSeconds: number; rollupSeconds: number }> {
  await client.command({ query: 'TRUNCATE TABLE IF EXISTS spans' })
  for (const table of [
    'span_deliveries',
    'task_hours',
    'task_model_hours',
    'rollup_hours',
    'hotspot_parts',
    'hotspot_hours',
  ]) {
    await client.command({ query: `TRUNCATE TABLE IF EXISTS ${table}` })
  }
  const started = performance.now()
  const chunk = 1_000_000
  for (let offset = 0; offset < workload.spans; offset += chunk) {
    const count = Math.min(chunk, workload.spans - offset)
    await client.command({
      query: insertSql(offset, count, workload.spans / SPANS_PER_TASK),
      query_params: { projects: workload.projectIds },
    })
    log(`  loaded ${offset + count} of ${workload.spans} spans`)
  }
  const insertSeconds = (performance.now() - started) / 1000
  const rollupStart = performance.now()
  await refreshAll(client)
  const rollupSeconds = (performance.now() - rollupStart) / 1000
  const marker: Marker = { version: WORKLOAD_VERSION, ...workload }
  fs.writeFileSync(path.join(dataDir, MARKER), JSON.stringify(marker))
  return { insertSeconds, rollupSeconds }
}

/**
 * Brings every hour's rollup up to date, with the collector's own refresh. A pass can make
 * hours it did not count stale again (the step outcomes of a day's last hour are withdrawn once
 * the next day's batch is written), so passes run until one finds nothing to refresh.
 */
export async function refreshAll(client: ClickHouseClient): Promise<void> {
  for (let pass = 0; pass < 10; pass++) {
    const result = await refreshStaleHours(client, { settleMillis: 0, maxHours: 10_000 })
    if (result.hours === 0 && result.remaining === 0) return
  }
  throw new Error('rollups still stale after 10 refresh passes')
}

const PER_TOKEN_PICO = `multiIf(
  model = 'gpt-4o', (2500000, 1250000, 10000000),
  model = 'gpt-4o-mini', (150000, 75000, 600000),
  model = 'claude-sonnet-4-20250514', (3000000, 300000, 15000000),
  (800000, 80000, 4000000))`

function insertSql(offset: number, count: number, tasks: number): string {
  const types = `[${TASK_TYPES.map((name) => `'${name}'`).join(', ')}]`
  return `INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, task_id, task_name,
      is_task_root, step, kind, name, service_name, provider, request_model, response_model,
      operation, tool_name, start_time, end_time, status, usage_known, input_tokens,
      output_tokens, cache_read_tokens, reasoning_tokens, priced, cost_usd, input_cost_usd,
      output_cost_usd, price_source, price_reason, tool_cost_usd, outcome, request_hash,
      response_hash, system_hash, tools_hash, prefix_hashes, prefix_tokens, minhash,
      tool_args_hash, tool_result_hash, attributes)
    SELECT
      {projects:Array(String)}[multiIf(t % 10 < 7, 1, t % 10 < 9, 2, 3)] AS project_id,
      concat(lower(hex(cityHash64(t, 1))), lower(hex(cityHash64(t, 2)))) AS trace_id,
      lower(hex(cityHash64(n, 3))) AS span_id,
      if(i = 0, '', lower(hex(cityHash64(t * ${SPANS_PER_TASK}, 3)))) AS parent_span_id,
      concat('task-', toString(t)) AS task_id,
      type_name AS task_name,
      i = 0 AS is_task_root,
      multiIf(i = 0, '', is_tool, 'act', ['plan', 'act', 'reflect', 'answer'][i % 4 + 1]) AS step,
      multiIf(i = 0, 'task', is_tool, 'tool', 'llm') AS kind,
      multiIf(i = 0, type_name, is_tool, concat('execute_tool ', tool), concat('chat ', model)) AS name,
      type_name AS service_name,
      if(is_llm, if(startsWith(model, 'claude'), 'anthropic', 'openai'), '') AS provider,
      if(is_llm, model, '') AS request_model,
      if(is_llm, model, '') AS response_model,
      multiIf(is_llm, 'chat', is_tool, 'execute_tool', '') AS operation,
      if(is_tool, tool, '') AS tool_name,
      task_start + toIntervalMillisecond(i * 3000) AS start_time,
      start_time + toIntervalMillisecond(multiIf(i = 0, ${SPANS_PER_TASK} * 3000, is_tool, 300, 2000)) AS end_time,
      if(cityHash64(n, 7) % 100 = 0, 'error', 'ok') AS status,
      is_llm AS usage_known,
      if(is_llm, input, 0) AS input_tokens,
      if(is_llm, 80 + cityHash64(n, 5) % 600, 0) AS output_tokens,
      if(is_llm, cached, 0) AS cache_read_tokens,
      if(is_llm AND startsWith(model, 'gpt-4o') AND i % 4 = 2, 64, 0) AS reasoning_tokens,
      is_llm AND NOT unknown_model AS priced,
      if(priced, toDecimal128(input_pico + output_tokens * rates.3, 12) / 1000000000000, NULL) AS cost_usd,
      if(priced, toDecimal128(input_pico, 12) / 1000000000000, NULL) AS input_cost_usd,
      if(priced, toDecimal128(output_tokens * rates.3, 12) / 1000000000000, NULL) AS output_cost_usd,
      if(priced, 'computed', '') AS price_source,
      multiIf(priced, 'catalog', is_llm, 'model not in the catalog', '') AS price_reason,
      if(is_tool AND tool = 'search_flights', toDecimal128('0.001', 12), NULL) AS tool_cost_usd,
      if(i = 0, if(cityHash64(t, 6) % 100 < 85, 'success', 'failure'), '') AS outcome,
      if(is_llm, cityHash64(t, if(duplicate, i - 1, i)), 0) AS request_hash,
      if(is_llm, cityHash64(t, if(duplicate, i - 1, i), 'r'), 0) AS response_hash,
      if(is_llm, system, 0) AS system_hash,
      if(is_llm, cityHash64(type_no, 'tools'), 0) AS tools_hash,
      if(is_llm, arrayMap(k -> if(k = 1, cityHash64(system, model), cityHash64(t, k)),
        range(1, boundaries + 1)), []) AS prefix_hashes,
      if(is_llm, arrayMap(k -> toUInt64(system_tokens + (k - 1) * 450), range(1, boundaries + 1)),
        []) AS prefix_tokens,
      if(is_llm AND type_no = 1 AND i % 3 = 1,
        arrayMap(j -> if(j < 24, cityHash64(intDiv(t, 3), i, j), cityHash64(n, j)), range(32)),
        []) AS minhash,
      if(is_tool, cityHash64(t, args_of, 'a'), 0) AS tool_args_hash,
      if(is_tool, cityHash64(t, args_of, 'res'), 0) AS tool_result_hash,
      if(is_tool,
        map('agentmeter.tool.result_tokens', toString(200 + cityHash64(t, args_of) % 1000)),
        if(is_llm, map('gen_ai.request.temperature', '0'), map())) AS attributes
    FROM (
      SELECT number AS n, intDiv(n, ${SPANS_PER_TASK}) AS t, n % ${SPANS_PER_TASK} AS i,
        cityHash64(t, 'type') % ${TASK_TYPES.length} AS type_no,
        ${types}[type_no + 1] AS type_name,
        i > 0 AND i % 3 = 0 AS is_tool,
        i > 0 AND NOT is_tool AS is_llm,
        toDateTime64('${FIRST_DAY} 00:00:00', 9, 'UTC')
          + toIntervalMillisecond(intDiv(t * ${DAYS * 86_400_000}, ${tasks})) AS task_start,
        cityHash64(n, 9) % 100 = 0 AS unknown_model,
        multiIf(unknown_model, 'acme-large-2',
          i % 4 = 1 AND type_no IN (0, 4), 'gpt-4o-mini',
          ['gpt-4o', 'claude-sonnet-4-20250514', 'claude-sonnet-4-20250514',
           'claude-3-5-haiku-20241022', 'gpt-4o', 'gpt-4o-mini'][type_no + 1]) AS model,
        ${PER_TOKEN_PICO} AS rates,
        1200 + type_no * 300 AS system_tokens,
        intDiv(i, 2) + 1 AS boundaries,
        system_tokens + i * 450 + cityHash64(n, 4) % 300 AS input,
        if(i > 1 AND cityHash64(n, 8) % 3 != 0,
          intDiv(system_tokens + (i - 2) * 450, 128) * 128, 0) AS cached,
        (input - cached) * rates.1 + cached * rates.2 AS input_pico,
        -- The research agent writes the time into its system prompt: every call breaks the cache.
        if(type_no = 3, cityHash64(type_no, n), cityHash64(type_no, 'system')) AS system,
        i % 3 = 2 AND cityHash64(t, 11) % 25 = 0 AS duplicate,
        -- A repeat or a loop asks again for an earlier tool call: same tool, same arguments.
        multiIf(type_no = 4 AND cityHash64(t, 12) % 20 = 0 AND i >= 9, 9,
          i >= 6 AND cityHash64(n, 13) % 10 = 0, i - 3, i) AS args_of,
        ['search_flights', 'get_reservation', 'read_file', 'run_tests', 'sql_query',
         'web_search'][(type_no + intDiv(args_of, 3)) % 6 + 1] AS tool
      FROM numbers(${offset}, ${count})
    )`
}
