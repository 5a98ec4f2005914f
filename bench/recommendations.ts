/**
 * Latency of `GET /api/v1/recommendations` over N synthetic spans in the embedded ClickHouse
 * (default 10 million, `--quick` 1 million), against the cost-per-task query
 * (`GET /api/v1/costs`) over the same rows and against the same recommendations read from the
 * spans alone (no rollup), measured in the same run once the rollups are refreshed. Rows are generated inside
 * ClickHouse (INSERT ... SELECT FROM numbers()) as tasks of 10 spans: a task root with its
 * outcome, 8 LLM calls over 4 steps, each step a mixed fleet of two models, and a tool call;
 * the first step of one task name in five runs in shadow mode (its calls carry a propensity of
 * 0.1) and every 50th task carries a shadow call of it on the cheaper model. LLM spans carry a
 * dozen attributes, as real instrumentations send them.
 */

import { queryArms } from '../apps/collector/src/store/queries/recommendations/step-arms'
import { queryArmOutcomes } from '../apps/collector/src/store/queries/recommendations/step-outcomes'
import { queryReplayArms } from '../apps/collector/src/store/queries/recommendations/replay-arms'
import {
  queryRecommendations,
  stepSource,
} from '../apps/collector/src/store/queries/recommendations'
import type { BenchOptions, SuiteResult } from './main'
import { printTable } from './support/measure'
import { withBenchCollector } from './support/bench-collector'

const BATCH = 1_000_000

export const ROWS = `
  SELECT {project:String} AS project_id, toString(intDiv(n, 10)) AS trace_id, toString(n) AS span_id,
    toString(intDiv(n, 10)) AS task_id, concat('task-', toString(intDiv(n, 10) % 5)) AS task_name,
    n % 10 = 0 AS is_task_root,
    if(n % 10 BETWEEN 1 AND 8 OR shadow_row, concat('step-', toString(if(shadow_row, 0, (n % 10 - 1) % 4))), '') AS step,
    multiIf(n % 10 = 0, 'task', n % 10 = 9 AND NOT shadow_row, 'tool', 'llm') AS kind, 'span' AS name,
    if((n % 10 - 1) % 4 < 2 OR shadow_row, 'openai', 'anthropic') AS provider,
    multiIf(shadow_row, 'gpt-4o-mini', n % 10 = 0 OR n % 10 = 9, '',
      (n % 10 - 1) % 4 < 2, if(cityHash64(n) % 2 = 0, 'gpt-4o', 'gpt-4o-mini'),
      if(cityHash64(n) % 2 = 0, 'claude-sonnet-4-5', 'claude-haiku-4-5')) AS request_model,
    toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(n * 60) AS start_time,
    toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(n * 60 + 30) AS end_time,
    kind = 'llm' AS usage_known,
    if(kind = 'llm', 500 + cityHash64(n, 1) % 3000, 0) AS input_tokens,
    if(kind = 'llm', 50 + n % 200, 0) AS output_tokens,
    if(kind = 'llm' AND n % 10 > 1, 256, 0) AS cache_read_tokens,
    kind = 'llm' AS priced,
    if(kind = 'llm', toDecimal128((input_tokens * 2.5 + output_tokens * 10) / 1000000, 12), NULL)
      AS cost_usd,
    if(n % 10 = 0, if(cityHash64(intDiv(n, 10)) % 100 < 95, 'success', 'failure'), '') AS outcome,
    if(kind = 'llm', cityHash64(n, 2), 0) AS request_hash,
    if(kind = 'llm' AND (n % 10 - 1) % 4 = 1, cityHash64(7), 0) AS tools_hash,
    if(kind = 'llm', ['stop'], []) AS finish_reasons,
    if(kind = 'llm', mapUpdate(map(
      'gen_ai.operation.name', 'chat', 'gen_ai.provider.name', provider,
      'gen_ai.request.model', request_model, 'gen_ai.response.id', concat('chatcmpl-', toString(n)),
      'gen_ai.usage.input_tokens', toString(input_tokens),
      'gen_ai.usage.output_tokens', toString(output_tokens),
      'agentmeter.span.kind', 'llm', 'agentmeter.task.id', task_id, 'agentmeter.task.name', task_name,
      'agentmeter.step.name', step, 'agentmeter.request.hash', hex(request_hash),
      'gen_ai.request.temperature', '0.2'),
      multiIf(shadow_row, map('agentmeter.shadow', 'true',
        'agentmeter.shadow.primary_span_id', toString(n - 8),
        'agentmeter.shadow.propensity', '0.1', 'agentmeter.shadow.score', '1'),
        shadow_mode AND step = 'step-0', map('agentmeter.shadow.propensity', '0.1'), map())), map())
      AS attributes
  FROM (SELECT number + {offset:UInt64} AS n, intDiv(n, 10) % 5 = 0 AS shadow_mode,
          n % 10 = 9 AND intDiv(n, 10) % 50 = 0 AS shadow_row
        FROM numbers({count:UInt64}))`

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const spans = options.quick ? 1_000_000 : 10_000_000
  return withBenchCollector('am_bench_key_0123456789', async ({ collector, apiKey, projectId }) => {
    const insertStart = Date.now()
    for (let offset = 0; offset < spans; offset += BATCH) {
      await collector.client.command({
        query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, is_task_root,
            step, kind, name, provider, request_model, start_time, end_time, usage_known,
            input_tokens, output_tokens, cache_read_tokens, priced, cost_usd, outcome,
            request_hash, tools_hash, finish_reasons, attributes)
          SELECT project_id, trace_id, span_id, task_id, task_name, is_task_root, step, kind, name,
            provider, request_model, start_time, end_time, usage_known, input_tokens,
            output_tokens, cache_read_tokens, priced, cost_usd, outcome, request_hash, tools_hash,
            finish_reasons, attributes
          FROM (${ROWS})`,
        query_params: { project: projectId, offset, count: Math.min(BATCH, spans - offset) },
      })
    }
    const insertSeconds = (Date.now() - insertStart) / 1000
    // The rollups as the background refresher builds them, all at once.
    const refreshStart = Date.now()
    // Until a round finds nothing stale (a round may withdraw hours where a task turned out
    // to span two hours; the next one rewrites them).
    while ((await collector.rollups.refreshNow({ settleMillis: 0, maxHours: 10_000 })).hours) {
      // Next round.
    }
    const refreshSeconds = (Date.now() - refreshStart) / 1000
    const range = 'from=2026-10-01T00:00:00Z&to=2026-12-31T00:00:00Z'
    const get = async (pathAndQuery: string) => {
      const start = Date.now()
      const response = await fetch(`${collector.url}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      })
      const body = (await response.json()) as { recommendations?: unknown[]; rows?: unknown[] }
      if (response.status !== 200) {
        throw new Error(`${pathAndQuery}: ${response.status} ${JSON.stringify(body)}`)
      }
      return { millis: Date.now() - start, body }
    }
    const costs = await get(`/api/v1/costs?${range}`)
    const first = await get(`/api/v1/recommendations?${range}`)
    const costsWarm = await get(`/api/v1/costs?${range}`)
    const warm = await get(`/api/v1/recommendations?${range}`)
    // Each store query alone, to show where the time goes.
    const perQueryMillis: Record<string, number> = {}
    const query = {
      projectId,
      range: { from: '2026-10-01 00:00:00.000', to: '2026-12-31 00:00:00.000' },
      tolerance: 2,
    }
    const planStart = Date.now()
    const source = await stepSource(collector.client, query)
    perQueryMillis['planRange'] = Date.now() - planStart
    for (const step of [queryArms, queryArmOutcomes, queryReplayArms]) {
      const start = Date.now()
      await step(collector.client, source)
      perQueryMillis[step.name] = Date.now() - start
    }
    // The baseline: every hour read from the spans, as before the step rollups.
    const spansStart = Date.now()
    const fromSpans = await queryRecommendations(collector.client, { ...query, useRollups: false })
    const spansOnlyMillis = Date.now() - spansStart
    if (fromSpans.recommendations.length !== (first.body.recommendations?.length ?? 0)) {
      throw new Error('the spans-only recommendations differ from the rollup ones')
    }
    const result = {
      spans,
      insertSeconds,
      refreshSeconds,
      costsMillis: costs.millis,
      costsWarmMillis: costsWarm.millis,
      recommendationsMillis: first.millis,
      recommendationsWarmMillis: warm.millis,
      recommendations: first.body.recommendations?.length ?? 0,
      spansOnlyMillis,
      withinTwoSeconds: warm.millis <= 2000,
      withinOneSecond: warm.millis <= 1000,
      perQueryMillis,
    }
    if (!options.quiet) {
      printTable([
        [
          'spans',
          'insert s',
          'refresh s',
          'costs ms',
          'recommendations ms (cold / warm)',
          'spans-only ms',
          'rows',
        ],
        [
          String(spans),
          insertSeconds.toFixed(1),
          refreshSeconds.toFixed(1),
          String(costsWarm.millis),
          `${first.millis} / ${warm.millis}`,
          String(spansOnlyMillis),
          String(result.recommendations),
        ],
      ])
      console.log(`per query (ms): ${JSON.stringify(perQueryMillis)}`)
    }
    return {
      suite: 'recommendations',
      results: [result],
      ratios: {
        recommendationsToCosts: warm.millis / Math.max(1, costsWarm.millis),
        recommendationsToSpansOnly: warm.millis / Math.max(1, spansOnlyMillis),
      },
    }
  })
}
