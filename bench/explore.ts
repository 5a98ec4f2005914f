import { withBenchCollector } from './support/bench-collector'

/**
 * Latency of the Explore routes (`/overview`, `/showback`, `/regressions`, and `/costs` with a
 * tag filter) over N synthetic spans (default 200,000) in the embedded ClickHouse, as ratios to
 * the unfiltered cost-per-task query (`GET /api/v1/costs`) over the same rows in the same run.
 * Rows are generated inside ClickHouse: tasks of 10 spans over the last 20 days, 7 task names,
 * 4 teams and 3 releases as resource attributes, 2 models. Each route is timed 3 times; the
 * median is reported.
 */
export async function run(args: string[]): Promise<void> {
  const spans = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000)
  return withBenchCollector(
    'am_bench_key_explore_0123456789',
    async ({ collector, apiKey, projectId }) => {
      const startMillis = Date.now() - 20 * 86_400_000
      await collector.client.command({
        query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, is_task_root,
          step, kind, name, provider, request_model, service_name, environment, start_time,
          end_time, usage_known, input_tokens, output_tokens, cache_read_tokens, priced, cost_usd,
          input_cost_usd, outcome, resource_attributes)
        SELECT {project:String}, toString(intDiv(n, 10)), toString(n), toString(intDiv(n, 10)),
          concat('task-', toString(intDiv(n, 10) % 7)), n % 10 = 0, concat('step-', toString(n % 4)),
          if(n % 10 = 0, 'task', 'llm'), 'span', 'openai', if(n % 3 = 0, 'gpt-4o', 'gpt-4o-mini'),
          'svc', 'prod',
          fromUnixTimestamp64Milli(toInt64({start:Int64} + n * {step:Int64}), 'UTC'),
          fromUnixTimestamp64Milli(toInt64({start:Int64} + n * {step:Int64} + 30), 'UTC'),
          true, 1000 + (n % 7) * 100, 200, if(n % 2 = 0, 500, 0), n % 10 != 0,
          if(n % 10 = 0, NULL, toDecimal128(0.0031, 12)),
          if(n % 10 = 0, NULL, toDecimal128(0.0011, 12)),
          if(n % 10 = 0, if(n % 70 = 0, 'failure', 'success'), ''),
          map('team', concat('team-', toString(intDiv(n, 10) % 4)),
              'service.version', concat('1.', toString(intDiv(n * 3, {spans:UInt64}))))
        FROM (SELECT number AS n FROM numbers({spans:UInt64}))`,
        query_params: {
          project: projectId,
          start: startMillis,
          step: Math.floor((20 * 86_400_000) / spans),
          spans,
        },
      })
      const put = await fetch(`${collector.url}/api/v1/settings/dimensions`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          dimensions: [{ dimension: 'team', source: 'resource', attributeKey: 'team' }],
        }),
      })
      if (put.status !== 200) throw new Error(`mapping: ${put.status}`)

      const range = `from=${new Date(startMillis - 60_000).toISOString()}&to=${new Date().toISOString()}`
      const time = async (pathAndQuery: string): Promise<number> => {
        const runs: number[] = []
        for (let i = 0; i < 3; i++) {
          const start = performance.now()
          const response = await fetch(`${collector.url}${pathAndQuery}`, {
            headers: { authorization: `Bearer ${apiKey}` },
          })
          await response.json()
          if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status}`)
          runs.push(performance.now() - start)
        }
        return runs.sort((a, b) => a - b)[1]!
      }
      const baseline = await time(`/api/v1/costs?${range}`)
      const cases: Array<[string, string]> = [
        ['costs tag=team=team-1', `/api/v1/costs?${range}&tag=team%3Dteam-1`],
        ['tasks tag=team=team-1', `/api/v1/tasks?${range}&tag=team%3Dteam-1`],
        ['overview', `/api/v1/overview?${range}`],
        ['overview model=gpt-4o', `/api/v1/overview?${range}&model=gpt-4o`],
        ['overview name=task-1', `/api/v1/overview?${range}&name=task-1`],
        ['overview tag=team=team-1', `/api/v1/overview?${range}&tag=team%3Dteam-1`],
        ['costs name=task-1', `/api/v1/costs?${range}&name=task-1`],
        ['showback team name=task-1', `/api/v1/showback?${range}&groupBy=team&name=task-1`],
        ['showback team', `/api/v1/showback?${range}&groupBy=team`],
        ['showback team monthly', `/api/v1/showback?${range}&groupBy=team&split=month`],
        ['regressions period', `/api/v1/regressions?${range}`],
        ['regressions version', `/api/v1/regressions?${range}&compare=version`],
      ]
      console.log(
        `${spans} spans; baseline GET /api/v1/costs: ${baseline.toFixed(0)} ms (median of 3)`,
      )
      console.log('route'.padEnd(26), 'ms'.padStart(8), 'ratio'.padStart(8))
      for (const [name, url] of cases) {
        const millis = await time(url)
        console.log(
          name.padEnd(26),
          millis.toFixed(0).padStart(8),
          (millis / baseline).toFixed(2).padStart(8),
        )
      }
    },
  )
}
