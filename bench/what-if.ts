import { printTable } from './support/measure'
import { withBenchCollector } from './support/bench-collector'

/**
 * What-if latency over N synthetic spans (default 1 million) of the last 29 days in the embedded
 * ClickHouse, generated inside ClickHouse as tasks of 20 spans (14 LLM calls over 5 steps and two
 * models, 6 tool calls). Subject: `POST /api/v1/recommendations/what-if` with one and with three
 * accepted switches; baseline in the same run: `GET /api/v1/costs?groupBy=task_name` over the
 * same 30 days, the query finance would read today.
 *
 *   pnpm bench what-if [spans]
 */
export async function run(args: string[]): Promise<void> {
  const spans = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000)
  return withBenchCollector('am_bench_key_0123456789', async ({ collector, apiKey, projectId }) => {
    const spacingMs = Math.max(1, Math.floor((29 * 86_400_000) / spans))
    const start = new Date(Date.now() - 29.5 * 86_400_000)
      .toISOString()
      .slice(0, 23)
      .replace('T', ' ')
    const insertStart = Date.now()
    const batch = 1_000_000
    for (let offset = 0; offset < spans; offset += batch) {
      await collector.client.command({
        query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, is_task_root,
            step, kind, name, provider, request_model, start_time, end_time, usage_known,
            input_tokens, output_tokens, cache_read_tokens, priced, cost_usd)
          SELECT {project:String}, toString(intDiv(n, 20)), toString(n), toString(intDiv(n, 20)),
            concat('task-', toString(intDiv(n, 20) % 7)), n % 20 = 0,
            concat('step-', toString(n % 5)), if(n % 20 < 14, 'llm', 'tool'), 'span', 'openai',
            if(intDiv(n, 20) % 2 = 0, 'gpt-4o', 'gpt-4.1'),
            toDateTime64({start:String}, 9, 'UTC') + toIntervalMillisecond(n * ${spacingMs}),
            toDateTime64({start:String}, 9, 'UTC') + toIntervalMillisecond(n * ${spacingMs} + 30),
            true, 2000 + (n % 20) * 300, 100 + n % 7, if(n % 20 > 1, 1024, 0), n % 20 < 14,
            if(n % 20 < 14, toDecimal128(0.0035, 12), NULL)
          FROM (SELECT number + ${offset} AS n FROM numbers(${Math.min(batch, spans - offset)}))`,
        query_params: { project: projectId, start },
      })
    }
    const insertSeconds = (Date.now() - insertStart) / 1000

    const call = async (pathAndQuery: string, body?: unknown) => {
      const begin = Date.now()
      const response = await fetch(`${collector.url}${pathAndQuery}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const json = (await response.json()) as Record<string, unknown>
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${JSON.stringify(json)}`)
      return { millis: Date.now() - begin, json }
    }
    const to = new Date().toISOString()
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString()
    const switchOf = (task: number, step: number) => ({
      taskName: `task-${task}`,
      step: `step-${step}`,
      currentModel: 'gpt-4o',
      suggestedModel: 'gpt-4o-mini',
    })
    const one = { accepted: [switchOf(0, 1)] }
    const three = { accepted: [switchOf(0, 1), switchOf(2, 3), switchOf(4, 0)] }

    const rows = [['query', 'run 1 ms', 'run 2 ms', 'best / costs']]
    const costs = [
      await call(`/api/v1/costs?from=${from}&to=${to}`),
      await call(`/api/v1/costs?from=${from}&to=${to}`),
    ]
    const base = Math.min(...costs.map((r) => r.millis))
    rows.push(['GET /costs (baseline)', String(costs[0]!.millis), String(costs[1]!.millis), '1.00'])
    for (const [name, body] of [
      ['what-if, 1 switch', one],
      ['what-if, 3 switches', three],
    ] as const) {
      const runs = [
        await call('/api/v1/recommendations/what-if', body),
        await call('/api/v1/recommendations/what-if', body),
      ]
      const best = Math.min(...runs.map((r) => r.millis))
      rows.push([name, String(runs[0]!.millis), String(runs[1]!.millis), (best / base).toFixed(2)])
      const switches = runs[0]!.json['switches'] as Array<{ calls: number }>
      const current = runs[0]!.json['current'] as { tasks: number }
      console.log(
        `${name}: ${current.tasks} tasks, ${switches.map((s) => s.calls).join(' + ')} calls repriced`,
      )
    }
    console.log(`${spans} spans inserted in ${insertSeconds.toFixed(1)} s`)
    printTable(rows)
  })
}
