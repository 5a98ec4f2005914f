import os from 'node:os'
import path from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { createLogger, loadConfig, startCollector } from '@agentmeter/collector'
import { queryCosts } from '../apps/collector/src/store/queries/costs'
import { DETECTORS, queryHotspots } from '../apps/collector/src/store/queries/hotspots'
import { getTaskDetail } from '../apps/collector/src/store/queries/task-detail'
import { listTaskPage, listTasks } from '../apps/collector/src/store/queries/tasks'
import { parseTimeRange, type TimeRange } from '../apps/collector/src/store/queries/time-range'
import type { BenchOptions, SuiteResult } from './main'
import { printTable } from './support/measure'
import {
  DAYS,
  FIRST_DAY,
  hasWorkload,
  loadWorkload,
  refreshAll,
  SPANS_PER_TASK,
} from './query-data'

/**
 * Dashboard API latency over a large store: p50 / p95 of each endpoint through the collector's
 * HTTP API, against the same query functions (the same SQL) called directly on the store's
 * `@clickhouse/client`, interleaved run by run so both see the same machine. The overhead is
 * what the HTTP hop, auth, validation and JSON add. 10 million spans by default, 500,000 with
 * `--quick`; `--spans=N` for another size, `--runs=N` samples per endpoint, `--only=<text>[,<text>]` for
 * the endpoints whose name has one of them, `--spans-only=off` without the spans-only baseline.
 * The loaded store is kept in
 * `$AGENTMETER_BENCH_DIR` (default the system temp dir) and reused while its marker matches.
 */

interface Context {
  projectId: string
  range: TimeRange
  from: string
  to: string
  taskId: string
}

interface Endpoint {
  name: string
  /** The goal for p95 through the API, in milliseconds. */
  goalMs: number
  path: (ctx: Context) => string
  direct: (client: ClickHouseClient, ctx: Context) => Promise<unknown>
  /** Stop repeating after this long (slow endpoints get fewer samples). */
  budgetMs?: number
  /** The same read with the rollups ignored (every span, FINAL): what the rollups save. */
  spansOnly?: (client: ClickHouseClient, ctx: Context) => Promise<unknown>
  /** What must be equal between the API and the direct call (default: the whole body). */
  comparable?: (body: unknown) => unknown
}

/** Hotspots without their example ids: which examples a group keeps is not ordered. */
function withoutExamples(body: unknown): unknown {
  const result = body as { hotspots: Array<Record<string, unknown>> }
  return {
    ...result,
    hotspots: result.hotspots.map(
      ({ exampleTaskIds: _t, exampleSpanIds: _s, examples: _e, ...rest }) => rest,
    ),
  }
}

const DAY_AFTER_FIRST = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + 86_400_000).toISOString()

/** The dashboard's reads; add a row to measure another endpoint. */
const ENDPOINTS: Endpoint[] = [
  {
    name: 'costs by day',
    goalMs: 300,
    path: (c) => `/api/v1/costs?groupBy=day&from=${c.from}&to=${c.to}`,
    direct: (client, c) => queryCosts(client, { ...c, groupBy: 'day' }).then((rows) => ({ rows })),
    spansOnly: (client, c) => queryCosts(client, { ...c, groupBy: 'day', useRollups: false }),
  },
  {
    name: 'costs by model',
    goalMs: 300,
    path: (c) => `/api/v1/costs?groupBy=model&from=${c.from}&to=${c.to}`,
    direct: (client, c) =>
      queryCosts(client, { ...c, groupBy: 'model' }).then((rows) => ({ rows })),
    spansOnly: (client, c) => queryCosts(client, { ...c, groupBy: 'model', useRollups: false }),
  },
  {
    name: 'costs by provider',
    goalMs: 300,
    path: (c) => `/api/v1/costs?groupBy=provider&from=${c.from}&to=${c.to}`,
    direct: (client, c) =>
      queryCosts(client, { ...c, groupBy: 'provider' }).then((rows) => ({ rows })),
    spansOnly: (client, c) => queryCosts(client, { ...c, groupBy: 'provider', useRollups: false }),
  },
  {
    name: 'costs by task name',
    goalMs: 300,
    path: (c) => `/api/v1/costs?groupBy=task_name&from=${c.from}&to=${c.to}`,
    direct: (client, c) =>
      queryCosts(client, { ...c, groupBy: 'task_name' }).then((rows) => ({ rows })),
    spansOnly: (client, c) => queryCosts(client, { ...c, groupBy: 'task_name', useRollups: false }),
  },
  {
    name: 'task list',
    goalMs: 300,
    path: (c) => `/api/v1/tasks?limit=100&from=${c.from}&to=${c.to}`,
    // The route's own read: the page and the cursor of the next one.
    direct: (client, c) =>
      listTaskPage(client, { projectId: c.projectId, range: c.range, limit: 100 }),
    spansOnly: (client, c) =>
      listTasks(client, { projectId: c.projectId, range: c.range, limit: 100, useRollups: false }),
  },
  {
    name: 'task detail',
    goalMs: 300,
    path: (c) => `/api/v1/tasks/${c.taskId}?from=${c.from}&to=${c.to}`,
    direct: (client, c) => getTaskDetail(client, c),
  },
  {
    name: 'hotspots, 1 day',
    goalMs: 1000,
    budgetMs: 60_000,
    path: (c) => `/api/v1/hotspots?from=${c.from}&to=${DAY_AFTER_FIRST}`,
    direct: (client, c) =>
      queryHotspots(client, { ...c, range: parseTimeRange(c.from, DAY_AFTER_FIRST) }),
    spansOnly: (client, c) =>
      queryHotspots(client, {
        ...c,
        range: parseTimeRange(c.from, DAY_AFTER_FIRST),
        useRollups: false,
      }),
    comparable: withoutExamples,
  },
  {
    // A filter selects tasks, which the parts do not record: filtered reads search the spans.
    name: 'hotspots, 1 day, model filter',
    goalMs: 1000,
    budgetMs: 60_000,
    path: (c) => `/api/v1/hotspots?from=${c.from}&to=${DAY_AFTER_FIRST}&model=gpt-4o`,
    direct: (client, c) =>
      queryHotspots(client, {
        ...c,
        range: parseTimeRange(c.from, DAY_AFTER_FIRST),
        filters: { model: 'gpt-4o' },
      }),
    comparable: withoutExamples,
  },
  {
    name: 'hotspots, 30 days',
    goalMs: 1000,
    budgetMs: 60_000,
    path: (c) => `/api/v1/hotspots?from=${c.from}&to=${c.to}`,
    direct: (client, c) => queryHotspots(client, c),
    comparable: withoutExamples,
  },
]

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const flag = (name: string) =>
    process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
  const sizeArg = flag('spans')
  const spans = sizeArg ? Number(sizeArg) : options.quick ? 500_000 : 10_000_000
  if (!Number.isInteger(spans) || spans <= 0 || spans % SPANS_PER_TASK !== 0) {
    throw new Error(`--spans must be a positive multiple of ${SPANS_PER_TASK}, got ${spans}`)
  }
  const log = (line: string) => (options.quiet ? undefined : console.log(line))
  const dataDir = path.join(
    process.env.AGENTMETER_BENCH_DIR || os.tmpdir(),
    `agentmeter-bench-query-${spans}`,
  )
  const apiKey = 'am_bench_query_key_0123456789'
  const collector = await startCollector(
    loadConfig({
      AGENTMETER_PORT: '0',
      AGENTMETER_HOST: '127.0.0.1',
      AGENTMETER_DATA_DIR: dataDir,
      AGENTMETER_INIT_PROJECT: 'bench-main',
      AGENTMETER_INIT_API_KEY: apiKey,
      // The bench refreshes the rollups itself once the load is in; nothing runs behind it.
      AGENTMETER_ROLLUP_INTERVAL_MS: '0',
      AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND: '0',
    }),
    createLogger('silent'),
  )
  try {
    const projectIds: string[] = []
    for (const name of ['bench-main', 'bench-second', 'bench-third']) {
      projectIds.push((await collector.projects.ensureProject(name)).id)
    }
    const workload = { spans, projectIds }
    let load: { insertSeconds: number; rollupSeconds: number } | null = null
    if (hasWorkload(dataDir, workload)) {
      log(`reusing ${spans} spans in ${dataDir}`)
      // Rollups an interrupted run left stale (or a new migration's parts) are finished here,
      // as the refresher would.
      const started = performance.now()
      await refreshAll(collector.client)
      log(`  rollups brought up to date in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    } else {
      log(`loading ${spans} spans into ${dataDir}`)
      load = await loadWorkload(collector.client, dataDir, workload, log)
      log(`  insert ${load.insertSeconds.toFixed(1)} s, rollups ${load.rollupSeconds.toFixed(1)} s`)
    }
    const from = `${FIRST_DAY}T00:00:00Z`
    const to = new Date(Date.parse(from) + DAYS * 86_400_000).toISOString()
    const ctx: Context = {
      projectId: projectIds[0]!,
      range: parseTimeRange(from, to),
      from,
      to,
      taskId: '',
    }
    const [someTask] = await listTasks(collector.client, { ...ctx, limit: 1 })
    ctx.taskId = someTask!.taskId

    const get = async (pathAndQuery: string) => {
      const response = await fetch(`${collector.url}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      })
      const body = await response.text()
      if (response.status !== 200) throw new Error(`${pathAndQuery}: ${response.status} ${body}`)
      return body
    }
    const runs = Number(flag('runs') ?? (options.quick ? 7 : 15))
    const results: Record<string, unknown>[] = []
    const ratios: Record<string, number> = {}
    const only = (flag('only') ?? '').split(',')
    // `--spans-only=off` skips the spans-only baseline (seconds per sample at 10M spans), for a
    // second run in the same session, such as the previous code's figures beside these.
    const withSpansOnly = flag('spans-only') !== 'off'
    for (const endpoint of ENDPOINTS.filter((e) => only.some((part) => e.name.includes(part)))) {
      const api: number[] = []
      const direct: number[] = []
      const spansOnly: number[] = []
      const stopAt = performance.now() + (endpoint.budgetMs ?? Infinity)
      // Warm-up, and the check that both sides answer the same.
      const comparable = endpoint.comparable ?? ((body: unknown) => body)
      const [viaApi, viaClient] = [
        JSON.stringify(comparable(JSON.parse(await get(endpoint.path(ctx))))),
        JSON.stringify(comparable(await endpoint.direct(collector.client, ctx))),
      ]
      if (viaApi !== viaClient) {
        throw new Error(
          `${endpoint.name}: the API and the SQL differ\n${viaApi.slice(0, 400)}\n${viaClient.slice(0, 400)}`,
        )
      }
      while (api.length < runs && (api.length === 0 || performance.now() < stopAt)) {
        let start = performance.now()
        await get(endpoint.path(ctx))
        api.push(performance.now() - start)
        start = performance.now()
        await endpoint.direct(collector.client, ctx)
        direct.push(performance.now() - start)
        if (endpoint.spansOnly && withSpansOnly) {
          start = performance.now()
          await endpoint.spansOnly(collector.client, ctx)
          spansOnly.push(performance.now() - start)
        }
      }
      const row = {
        endpoint: endpoint.name,
        runs: api.length,
        apiP50Ms: percentile(api, 0.5),
        apiP95Ms: percentile(api, 0.95),
        directP50Ms: percentile(direct, 0.5),
        directP95Ms: percentile(direct, 0.95),
        overhead: percentile(api, 0.5) / percentile(direct, 0.5) - 1,
        spansOnlyP50Ms: spansOnly.length > 0 ? percentile(spansOnly, 0.5) : null,
        goalMs: endpoint.goalMs,
        met: percentile(api, 0.95) < endpoint.goalMs,
      }
      results.push(row)
      ratios[`${endpoint.name} api/direct p50`] = round(row.apiP50Ms / row.directP50Ms)
      if (row.spansOnlyP50Ms !== null) {
        ratios[`${endpoint.name} spans-only/direct p50`] = round(
          row.spansOnlyP50Ms / row.directP50Ms,
        )
      }
      log(`  ${endpoint.name}: p95 ${row.apiP95Ms.toFixed(0)} ms`)
    }
    // Where the hotspot time goes: each detector alone over the first day.
    const detectorMs: Record<string, number> = {}
    const selected = ENDPOINTS.filter((e) => only.some((part) => e.name.includes(part)))
    if (selected.some((endpoint) => endpoint.name.startsWith('hotspots'))) {
      for (const detect of DETECTORS) {
        const start = performance.now()
        await detect(collector.client, {
          projectId: ctx.projectId,
          range: parseTimeRange(from, DAY_AFTER_FIRST),
          duplicateWindowSeconds: 3600,
          exampleLimit: 5,
        })
        detectorMs[detect.name] = Math.round(performance.now() - start)
      }
      log(`  detectors over one day: ${JSON.stringify(detectorMs)}`)
    }
    if (!options.quiet) {
      console.log(`\nquery: ${spans} spans, ${DAYS} days, ${os.cpus().length} cores`)
      printTable([
        [
          'endpoint',
          'runs',
          'api p50',
          'api p95',
          'sql p50',
          'sql p95',
          'overhead',
          'goal p95',
          'no-rollup p50',
        ],
        ...results.map((r) => [
          String(r.endpoint),
          String(r.runs),
          ms(r.apiP50Ms),
          ms(r.apiP95Ms),
          ms(r.directP50Ms),
          ms(r.directP95Ms),
          `${((r.overhead as number) * 100).toFixed(1)} %`,
          `${r.goalMs} ms ${r.met ? 'met' : 'MISSED'}`,
          r.spansOnlyP50Ms === null ? '-' : ms(r.spansOnlyP50Ms),
        ]),
      ])
    }
    return {
      suite: 'query',
      results: [
        { spans, dataDir, ...(load ?? { reused: true }) },
        ...results,
        ...(Object.keys(detectorMs).length > 0 ? [{ detectorsOneDayMs: detectorMs }] : []),
      ],
      ratios,
    }
  } finally {
    await collector.close()
  }
}

/** Nearest-rank percentile. */
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
}

function ms(value: unknown): string {
  return `${(value as number).toFixed(1)} ms`
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
