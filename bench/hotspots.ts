import { DETECTORS } from '../apps/collector/src/store/queries/hotspots'
import { withBenchCollector } from './support/bench-collector'

/**
 * Hotspot query latency over N synthetic spans (default 1 million, `--full` 10 million) in the
 * embedded ClickHouse. Rows are generated inside ClickHouse (INSERT ... SELECT FROM numbers), as
 * tasks of 20 spans: 14 LLM calls with growing prefix chains, MinHash bands on a fifth of them,
 * 1 in 50 an exact duplicate, and 6 tool calls, 1 in 10 repeated. Baseline in the same run: the
 * cost-per-task query (`GET /api/v1/costs`) over the same rows.
 */
export async function run(args: string[]): Promise<void> {
  const spans = args.includes('--full')
    ? 10_000_000
    : Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000)
  return withBenchCollector('am_bench_key_0123456789', async ({ collector, apiKey, projectId }) => {
    const insertStart = Date.now()
    const batch = 1_000_000
    for (let offset = 0; offset < spans; offset += batch) {
      await collector.client.command({
        query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, step, kind, name,
            provider, request_model, tool_name, start_time, end_time, usage_known, input_tokens,
            output_tokens, cache_read_tokens, priced, cost_usd, input_cost_usd, request_hash,
            response_hash, prefix_hashes, prefix_tokens, minhash, tool_args_hash, tool_result_hash,
            attributes)
          SELECT {project:String}, toString(intDiv(n, 20)), toString(n), toString(intDiv(n, 20)),
            concat('task-', toString(intDiv(n, 20) % 7)), concat('step-', toString(n % 5)),
            if(n % 20 < 14, 'llm', 'tool'), 'span', 'openai', 'gpt-4o',
            if(n % 20 < 14, '', concat('tool-', toString(n % 3))),
            toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(n * 60),
            toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(n * 60 + 30),
            true, 2000 + (n % 20) * 300, 100, if(n % 20 > 1, 1024, 0), true,
            toDecimal128(0.0035, 12), toDecimal128(0.0025, 12),
            if(n % 50 = 7, cityHash64(n - 1), cityHash64(n)), cityHash64(n % 1000),
            if(n % 20 < 14, arrayMap(i -> cityHash64(intDiv(n, 20), i), range(1, (n % 20) + 2)), []),
            if(n % 20 < 14, arrayMap(i -> 2000 + i * 300, range(1, (n % 20) + 2)), []),
            if(n % 20 < 14 AND n % 5 = 0, arrayMap(i -> cityHash64(n % 5000, i), range(32)), []),
            if(n % 20 < 14, 0, cityHash64(intDiv(n, 20), if(n % 10 = 9, (n - 1) % 20, n % 20))),
            if(n % 20 < 14, 0, cityHash64(intDiv(n, 20), if(n % 10 = 9, (n - 1) % 20, n % 20), 1)),
            map('agentmeter.tool.result_tokens', '300')
          FROM (SELECT number + ${offset} AS n FROM numbers(${Math.min(batch, spans - offset)}))`,
        query_params: { project: projectId },
      })
    }
    const insertSeconds = (Date.now() - insertStart) / 1000
    const range = 'from=2026-10-01T00:00:00Z&to=2026-12-31T00:00:00Z'
    const get = async (pathAndQuery: string) => {
      const start = Date.now()
      const response = await fetch(`${collector.url}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      })
      const body = (await response.json()) as { hotspots?: unknown[]; rows?: unknown[] }
      if (response.status !== 200)
        throw new Error(`${pathAndQuery}: ${response.status} ${JSON.stringify(body)}`)
      return { millis: Date.now() - start, body }
    }
    const costs = await get(`/api/v1/costs?${range}`)
    const hotspots = await get(`/api/v1/hotspots?${range}`)
    const again = await get(`/api/v1/hotspots?${range}`)
    // Each detector alone, to show where the time goes.
    const perDetector: Record<string, number> = {}
    for (const detect of DETECTORS) {
      const start = Date.now()
      await detect(collector.client, {
        projectId: projectId,
        range: { from: '2026-10-01 00:00:00.000', to: '2026-12-31 00:00:00.000' },
        duplicateWindowSeconds: 3600,
        exampleLimit: 5,
      })
      perDetector[detect.name] = Date.now() - start
    }
    console.log(
      JSON.stringify(
        {
          spans,
          insertSeconds,
          costsMillis: costs.millis,
          hotspotsMillis: hotspots.millis,
          hotspotsWarmMillis: again.millis,
          ratioToCosts: Math.round((again.millis / Math.max(1, costs.millis)) * 100) / 100,
          hotspots: hotspots.body.hotspots?.length,
          perDetector,
        },
        null,
        1,
      ),
    )
  })
}
