/**
 * End-to-end ingest of a running collector on embedded ClickHouse: OTLP protobuf export bodies
 * of ~2 KB task-tree spans, sent over loopback HTTP by a load generator in a worker thread,
 * against two baselines measured in the same run and the same engine:
 *
 * - floor: the same rows (the collector's own normalization of the same bodies) inserted
 *   straight through `@clickhouse/client`, in the writer's format, into a copy of `spans`;
 * - decode: the same bodies only decoded.
 *
 * Phases: throughput (closed loop, requests kept in flight until the run ends, rows counted
 * queryable), ack latency at half that load (open loop), then a burst of three times that load
 * with memory sampled, where the collector must push back (503/429) rather than grow.
 *
 * Beside the rates it prints what moves less with the machine's load: CPU per span of the whole
 * process (end to end) against the floor's per row, split by thread, and where a half-load ack's
 * time goes (event loop delay, write-ahead fsyncs, inserts).
 */

import fs from 'node:fs'
import os from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import path from 'node:path'
import {
  createLogger,
  decodeTraceRequest,
  loadConfig,
  normalizeBatch,
  startCollector,
} from '@agentmeter/collector'
import type { BenchOptions, SuiteResult } from './main'
import { counterDelta, scrapeIngestCounters, type CounterDelta } from './support/ingest-metrics'
import {
  FLOOR_BATCH_ROWS,
  LOAD_GENERATOR,
  LoadGenerator,
  measureEndToEnd,
  measureFloor,
} from './support/ingest-phases'
import { measure, printTable } from './support/measure'
import { median, percentile, round, sampleMax } from './support/stats'
import { buildTemplateBody } from './support/task-tree-bodies'
import { labelNodeThreads, nodeThreadIds } from './support/thread-cpu'
import { startWindowProfile } from './support/window-profile'

const PROTOBUF = 'application/x-protobuf'

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const quick = options.quick
  const phaseMs = quick ? 4000 : 10_000
  const log = (line: string) => {
    if (!options.quiet) console.log(line)
  }
  const writeAhead = process.env.AGENTMETER_WRITE_AHEAD_MS ?? '10'
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-bench-ingest-'))
  const apiKey = `am_bench_${Date.now().toString(36)}`
  const collector = await startCollector(
    loadConfig({
      AGENTMETER_PORT: '0',
      AGENTMETER_DATA_DIR: dataDir,
      AGENTMETER_INIT_PROJECT: 'bench',
      AGENTMETER_INIT_API_KEY: apiKey,
      // One key sends everything here; its per-key limit would cap the run, not the collector.
      AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND: '0',
      // The default unless the environment says otherwise (to compare lane settings).
      AGENTMETER_INSERT_LANES: process.env.AGENTMETER_INSERT_LANES ?? '2',
      // Write-ahead acknowledgement on (the collector's default is off, see config.ts); `off`
      // measures acknowledgement on the insert alone.
      AGENTMETER_WRITE_AHEAD_MS: writeAhead,
      // Insert batching of write-ahead-acked rows and the engine threads' niceness: the
      // collector's defaults unless set.
      ...passThrough(
        'AGENTMETER_WRITE_AHEAD_BATCH_ROWS',
        'AGENTMETER_WRITE_AHEAD_LINGER_MS',
        'AGENTMETER_ENGINE_NICE',
      ),
    }),
    createLogger('silent'),
  )
  // 20 task trees of 5 spans: 100 spans, about 200 KB per request.
  const template = buildTemplateBody(20, 2, Math.floor(Date.now() / 1000))
  const spanBytes = template.body.byteLength / template.spans
  const load = new LoadGenerator({ url: collector.url, apiKey, template })
  try {
    log(
      `ingest: ${template.spans} spans per request, ${Math.round(spanBytes)} B/span protobuf, ${phaseMs / 1000} s phases, AGENTMETER_WRITE_AHEAD_MS=${writeAhead}`,
    )
    // Warmed by count, not only by time: in a 400 ms budget on a busy machine the normalizer
    // (conventions, the price catalog) was still being compiled, and the figure was a cold one.
    for (let warm = 0; warm < 300; warm++) {
      normalizeBatch(decodeTraceRequest(template.body, PROTOBUF), 'bench')
    }
    const decode = measure(() => decodeTraceRequest(template.body, PROTOBUF), quick ? 400 : 2000)
    const normalize = measure(
      () => normalizeBatch(decodeTraceRequest(template.body, PROTOBUF), 'bench'),
      quick ? 400 : 2000,
    )

    // The write-ahead thread starts with the first batch written ahead: the Node thread that
    // appears during the warm-up, beside the load generator, which says which thread it is.
    const loadThread = await load.threadId
    const nodeThreadsBefore = new Set(nodeThreadIds())
    await load.run({ mode: 'closed', concurrency: 4, durationMs: 1000 })
    const named = new Map<string, string>()
    for (const task of nodeThreadIds()) {
      if (!nodeThreadsBefore.has(task)) named.set(task, 'write-ahead thread')
    }
    if (loadThread) named.set(loadThread, LOAD_GENERATOR)
    const labels = labelNodeThreads(named)
    const rssBefore = process.memoryUsage().rss
    // End to end and floor alternate, so that the drift of a shared machine hits both alike;
    // the ratio is taken per round and its median reported.
    const rounds = []
    const counters = async <T>(work: () => Promise<T>): Promise<[T, CounterDelta]> => {
      const before = await scrapeIngestCounters(collector.url)
      const result = await work()
      return [result, counterDelta(before, await scrapeIngestCounters(collector.url))]
    }
    const fullPaths: CounterDelta[] = []
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      // AGENTMETER_PROFILE_OUT: the collector's thread over the first end-to-end phase only.
      const stopProfile = round === 0 ? await startWindowProfile() : undefined
      const [endToEnd, paths] = await counters(() =>
        measureEndToEnd(collector, load, 8, phaseMs, labels),
      )
      await stopProfile?.()
      fullPaths.push(paths)
      const floor = await measureFloor(collector, template, phaseMs, labels)
      rounds.push({ endToEnd, floor })
    }
    const spansPerSecond = median(rounds.map((r) => r.endToEnd.spansPerSecond))
    const floorSpansPerSecond = median(rounds.map((r) => r.floor.rowsPerSecond))
    // CPU per span depends far less on what else the machine runs than the rates do.
    const cpuPerSpan = median(rounds.map((r) => r.endToEnd.cpuMicrosPerSpan))
    const collectorCpuPerSpan = median(rounds.map((r) => r.endToEnd.collectorCpuMicrosPerSpan))
    const floorCpuPerRow = median(rounds.map((r) => r.floor.cpuMicrosPerRow))
    const sustainedPeakRss = Math.max(...rounds.map((r) => r.endToEnd.peakRss))
    const sustainedPeakHeap = Math.max(...rounds.map((r) => r.endToEnd.peakHeap))
    const latencies = rounds.flatMap((r) => r.endToEnd.report.latenciesMs)
    const statuses = rounds.map((r) => r.endToEnd.report.statuses)
    const requestsPerSecond = spansPerSecond / template.spans

    // Where a half-load ack's time goes: the event loop's delay (the collector shares this
    // thread) beside the write-ahead entries' fsync times from /metrics.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 })
    loopDelay.enable()
    const [half, halfPaths] = await counters(() =>
      load.run({
        mode: 'open',
        requestsPerSecond: requestsPerSecond / 2,
        durationMs: phaseMs,
        maxInFlight: 256,
      }),
    )

    loopDelay.disable()
    const halfBreakdown = {
      eventLoopDelayP50Ms: round(loopDelay.percentile(50) / 1e6),
      eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: round(loopDelay.max / 1e6),
      writeAhead: halfPaths.writeAhead,
      insert: halfPaths.insert,
    }

    const burstRss = sampleMax(() => process.memoryUsage().rss, 50)
    const burstHeap = sampleMax(() => process.memoryUsage().heapUsed, 50)
    const [burst, burstPaths] = await counters(() =>
      load.run({
        mode: 'open',
        requestsPerSecond: requestsPerSecond * 3,
        durationMs: phaseMs,
        maxInFlight: 1024,
      }),
    )
    const burstPeakRss = burstRss.stop()
    const burstPeakHeap = burstHeap.stop()

    const decodeSpansPerSecond = template.spans / (decode.medianMs / 1000)
    const normalizeSpansPerSecond = template.spans / (normalize.medianMs / 1000)

    const mb = (spans: number) => round((spans * spanBytes) / 1e6, 1)
    const results = [
      {
        case: 'collector end to end (acked, queryable)',
        spansPerSecond: Math.round(spansPerSecond),
        mbPerSecond: mb(spansPerSecond),
        p50AckMs: round(percentile(latencies, 50)),
        p99AckMs: round(percentile(latencies, 99)),
        statuses: mergeCounts(statuses),
        ackPaths: mergeCounts(fullPaths.map((paths) => paths.acks)),
        rowsPerInsert: median(fullPaths.map((paths) => paths.rowsPerInsert)),
      },
      {
        case: 'collector at half that load',
        spansPerSecond: Math.round(half.acceptedSpans / (half.elapsedMs / 1000)),
        mbPerSecond: mb(half.acceptedSpans / (half.elapsedMs / 1000)),
        p50AckMs: round(percentile(half.latenciesMs, 50)),
        p99AckMs: round(percentile(half.latenciesMs, 99)),
        statuses: half.statuses,
        ackPaths: halfPaths.acks,
        rowsPerInsert: halfPaths.rowsPerInsert,
      },
      {
        case: 'collector under a 3x burst',
        spansPerSecond: Math.round(burst.acceptedSpans / (burst.elapsedMs / 1000)),
        mbPerSecond: mb(burst.acceptedSpans / (burst.elapsedMs / 1000)),
        p50AckMs: round(percentile(burst.latenciesMs, 50)),
        p99AckMs: round(percentile(burst.latenciesMs, 99)),
        statuses: { ...burst.statuses, notStarted: burst.skipped },
        ackPaths: burstPaths.acks,
        rowsPerInsert: burstPaths.rowsPerInsert,
      },
      {
        case: 'floor: same rows, @clickhouse/client insert',
        spansPerSecond: Math.round(floorSpansPerSecond),
        mbPerSecond: mb(floorSpansPerSecond),
        rowsPerInsert: FLOOR_BATCH_ROWS,
      },
      {
        case: 'decode only (protobuf)',
        spansPerSecond: Math.round(decodeSpansPerSecond),
        mbPerSecond: mb(decodeSpansPerSecond),
      },
      {
        case: 'decode + normalize',
        spansPerSecond: Math.round(normalizeSpansPerSecond),
        mbPerSecond: mb(normalizeSpansPerSecond),
      },
    ]
    const memory = {
      rssBeforeMb: round(rssBefore / 2 ** 20, 0),
      sustainedPeakHeapMb: round(sustainedPeakHeap / 2 ** 20, 0),
      burstPeakHeapMb: round(burstPeakHeap / 2 ** 20, 0),
      loadAverage1m: round(os.loadavg()[0]!, 1),
      cpuMicrosPerSpan: round(cpuPerSpan, 1),
      collectorCpuMicrosPerSpan: round(collectorCpuPerSpan, 1),
      floorCpuMicrosPerRow: round(floorCpuPerRow, 1),
      cores: os.cpus().length,
      sustainedPeakRssMb: round(sustainedPeakRss / 2 ** 20, 0),
      burstPeakRssMb: round(burstPeakRss / 2 ** 20, 0),
    }
    const ratios = {
      endToEndVsFloor: round(
        median(rounds.map((r) => r.endToEnd.spansPerSecond / r.floor.rowsPerSecond)),
      ),
      floorCpuVsEndToEndCpu: round(floorCpuPerRow / cpuPerSpan),
      floorCpuVsCollectorCpu: round(floorCpuPerRow / collectorCpuPerSpan),
      endToEndVsDecode: round(spansPerSecond / decodeSpansPerSecond, 3),
      burstPeakRssVsSustainedPeakRss: round(burstPeakRss / sustainedPeakRss),
      burstPeakHeapVsSustainedPeakHeap: round(burstPeakHeap / sustainedPeakHeap),
    }

    if (!options.quiet) {
      printTable([
        [
          'case',
          'spans/s',
          'MB/s',
          'p50 ack ms',
          'p99 ack ms',
          'answers',
          'acked on',
          'rows/insert',
        ],
        ...results.map((r) => [
          r.case,
          String(r.spansPerSecond),
          r.mbPerSecond.toFixed(1),
          'p50AckMs' in r && r.p50AckMs !== undefined ? r.p50AckMs.toFixed(2) : '',
          'p99AckMs' in r && r.p99AckMs !== undefined ? r.p99AckMs.toFixed(2) : '',
          'statuses' in r ? JSON.stringify(r.statuses) : '',
          'ackPaths' in r ? JSON.stringify(r.ackPaths) : '',
          'rowsPerInsert' in r ? String(r.rowsPerInsert) : '',
        ]),
      ])
      log(
        `memory (MB): RSS before ${memory.rssBeforeMb}, sustained peak ${memory.sustainedPeakRssMb}, burst peak ${memory.burstPeakRssMb}; JS heap sustained peak ${memory.sustainedPeakHeapMb}, burst peak ${memory.burstPeakHeapMb}`,
      )
      const timing = (t: CounterDelta['insert']) =>
        `${t.count} × mean ${t.meanMs} ms, p50 ≤ ${t.p50AtMostMs} ms, p99 ≤ ${t.p99AtMostMs} ms`
      log(
        `full load: inserts ${fullPaths.map((paths) => timing(paths.insert)).join(' / ')}; write-ahead files ${fullPaths.map((paths) => timing(paths.writeAhead)).join(' / ')}`,
      )
      log(
        `half load: event loop delay p50 ${halfBreakdown.eventLoopDelayP50Ms} ms, p99 ${halfBreakdown.eventLoopDelayP99Ms} ms, max ${halfBreakdown.eventLoopDelayMaxMs} ms; write-ahead files ${timing(halfBreakdown.writeAhead)}; inserts ${timing(halfBreakdown.insert)}`,
      )
      log(
        `CPU per span (process, all threads): end to end ${memory.cpuMicrosPerSpan} µs (${memory.collectorCpuMicrosPerSpan} µs without the load generator), floor ${memory.floorCpuMicrosPerRow} µs per row`,
      )
      const threads = (rows: { thread: string; micros: number }[]) =>
        rows
          .slice(0, 10)
          .map((row) => `${row.thread} ${round(row.micros, 1)}`)
          .join(', ')
      for (const [index, r] of rounds.entries()) {
        log(
          `  round ${index + 1} end to end, µs per span by thread: ${threads(r.endToEnd.cpuByThread)}`,
        )
        log(`  round ${index + 1} floor, µs per row by thread: ${threads(r.floor.cpuByThread)}`)
      }
      log(`machine: ${memory.cores} cores, load average ${memory.loadAverage1m} (1 min) at the end`)
      for (const [name, ratio] of Object.entries(ratios)) log(`  ${name}: ${ratio}`)
    }
    return {
      suite: 'ingest',
      results: [
        ...results,
        { case: 'memory', ...memory },
        { case: 'half load breakdown', ...halfBreakdown },
      ] as Record<string, unknown>[],
      ratios,
    }
  } finally {
    await load.close()
    await collector.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

function passThrough(...names: string[]): Record<string, string> {
  const set: Record<string, string> = {}
  for (const name of names) {
    const value = process.env[name]
    if (value !== undefined) set[name] = value
  }
  return set
}

function mergeCounts(counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {}
  for (const count of counts) {
    for (const [key, value] of Object.entries(count)) total[key] = (total[key] ?? 0) + value
  }
  return total
}
