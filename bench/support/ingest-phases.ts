/**
 * The measuring parts of the ingest benchmark: the worker-thread load generator, the
 * end-to-end throughput round (acked and counted queryable) and the direct-insert floor.
 */

import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import {
  decodeTraceRequest,
  insertSpanRecords,
  normalizeBatch,
  type RunningCollector,
} from '@agentmeter/collector'
import type { LoadPhase, LoadPhaseSpec, LoadWorkerData, PhaseReport } from './load-worker'
import { sampleMax } from './stats'
import { threadCpu, threadCpuPer, type ThreadLabels } from './thread-cpu'
import type { TemplateBody } from './task-tree-bodies'

/** The load generator's thread label in CPU breakdowns (see `LoadGenerator.threadId`). */
export const LOAD_GENERATOR = 'load generator'

/** Rows per direct insert of the floor: what the writer's group commit reaches under load. */
export const FLOOR_BATCH_ROWS = 10_000

export class LoadGenerator {
  private readonly worker: Worker
  private sequence = 1
  /** The worker's thread id (Linux), once it has started; null elsewhere. */
  readonly threadId: Promise<string | null>

  constructor(data: LoadWorkerData) {
    // Node 20 does not apply the main thread's TypeScript loader to a worker's entry file, so
    // the worker registers tsx itself before importing the generator.
    const entry = new URL('./load-worker.ts', import.meta.url).href
    this.worker = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`,
      { eval: true, workerData: data },
    )
    // The worker's first message, once its modules are loaded.
    this.threadId = new Promise((resolve, reject) => {
      this.worker.once('message', (started: { threadId: string | null }) =>
        resolve(started.threadId),
      )
      this.worker.once('error', reject)
    })
  }

  async run(phase: LoadPhaseSpec): Promise<PhaseReport> {
    await this.threadId
    return new Promise((resolve, reject) => {
      this.worker.once('message', (report: PhaseReport) => {
        this.sequence = report.nextSequence
        resolve(report)
      })
      this.worker.once('error', reject)
      this.worker.postMessage({ ...phase, firstSequence: this.sequence } as LoadPhase)
    })
  }

  close(): Promise<number> {
    return this.worker.terminate()
  }
}

export async function countRows(collector: RunningCollector, table: string): Promise<number> {
  const result = await collector.client.query({
    query: `SELECT count() AS n FROM ${table}`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  return Number(row?.n ?? 0)
}

/**
 * Waits until the batches of earlier phases acknowledged on write-ahead entries are inserted
 * (their entries released), so that they are not counted in the next round.
 */
async function waitForWriteAhead(url: string): Promise<void> {
  for (let tries = 0; tries < 3000; tries++) {
    const text = await (await fetch(`${url}/metrics`)).text()
    if (/^agentmeter_spool_write_ahead_bytes 0$/m.test(text)) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Rows in `spans` once they reach `expected` (or stop growing for 10 s, to report the gap). */
async function waitForRows(collector: RunningCollector, expected: number): Promise<number> {
  let rows = await countRows(collector, 'spans')
  let grewAt = performance.now()
  while (rows < expected && performance.now() - grewAt < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    const now = await countRows(collector, 'spans')
    if (now > rows) grewAt = performance.now()
    rows = now
  }
  return rows
}

export interface ThroughputRound {
  spansPerSecond: number
  report: PhaseReport
  peakRss: number
  /** Peak V8 heap in use: the collector's queued requests and rows live here. */
  peakHeap: number
  /** CPU of the whole process (collector, engine threads, load generator) per stored span. */
  cpuMicrosPerSpan: number
  /** The same without the load generator's thread: the collector and its engine. */
  collectorCpuMicrosPerSpan: number
  /** The same by thread name, largest first. */
  cpuByThread: { thread: string; micros: number }[]
}

/**
 * Keeps `concurrency` requests in flight for `durationMs`; the rate counts from the first
 * request to the moment every acknowledged span is counted in `spans` (a batch acknowledged on
 * its write-ahead entry may still be inserting when the load stops), and fails when the
 * acknowledged and the stored spans differ.
 */
export async function measureEndToEnd(
  collector: RunningCollector,
  load: LoadGenerator,
  concurrency: number,
  durationMs: number,
  labels: ThreadLabels = new Map(),
): Promise<ThroughputRound> {
  await waitForWriteAhead(collector.url)
  const before = await countRows(collector, 'spans')
  const rss = sampleMax(() => process.memoryUsage().rss, 50)
  const heap = sampleMax(() => process.memoryUsage().heapUsed, 50)
  const started = performance.now()
  const cpu = process.cpuUsage()
  const threads = threadCpu(labels)
  const report = await load.run({ mode: 'closed', concurrency, durationMs })
  const stored = (await waitForRows(collector, before + report.acceptedSpans)) - before
  const seconds = (performance.now() - started) / 1000
  const cpuMicros = cpuTotal(process.cpuUsage(cpu))
  const cpuByThread = threadCpuPer(threads, threadCpu(labels), stored)
  const peakRss = rss.stop()
  const peakHeap = heap.stop()
  if (stored !== report.acceptedSpans) {
    throw new Error(`acknowledged ${report.acceptedSpans} spans but ${stored} are stored`)
  }
  return {
    spansPerSecond: stored / seconds,
    report,
    peakRss,
    peakHeap,
    cpuMicrosPerSpan: stored > 0 ? cpuMicros / stored : 0,
    collectorCpuMicrosPerSpan:
      stored > 0
        ? cpuMicros / stored -
          (cpuByThread.find((row) => row.thread === LOAD_GENERATOR)?.micros ?? 0)
        : 0,
    cpuByThread,
  }
}

function cpuTotal(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system
}

export interface FloorRound {
  rowsPerSecond: number
  /** CPU of the whole process per inserted row (the engine's threads are in it). */
  cpuMicrosPerRow: number
  cpuByThread: { thread: string; micros: number }[]
}

// Copies are numbered across rounds: a repeated block would be deduplicated by the engine.
let floorSequence = 0

/**
 * The floor: the collector's own rows for the template (decoded and normalized once, outside
 * the clock) inserted straight through `@clickhouse/client`, in the writer's format, into
 * `spans_floor` (a copy of `spans` in the same engine) for `durationMs`. Every copy gets its
 * own trace ids, as the requests do.
 */
export async function measureFloor(
  collector: RunningCollector,
  template: TemplateBody,
  durationMs: number,
  labels: ThreadLabels = new Map(),
): Promise<FloorRound> {
  await collector.client.command({ query: 'CREATE TABLE IF NOT EXISTS spans_floor AS spans' })
  const before = await countRows(collector, 'spans_floor')
  const decoded = decodeTraceRequest(template.body, 'application/x-protobuf')
  const { records } = normalizeBatch(decoded, 'floor')
  const perBatch = Math.max(1, Math.floor(FLOOR_BATCH_ROWS / records.length))
  let rows = 0
  const started = performance.now()
  const cpu = process.cpuUsage()
  const threads = threadCpu(labels)
  while (performance.now() - started < durationMs) {
    const batch = []
    for (let copy = 0; copy < perBatch; copy++) {
      floorSequence++
      for (const record of records) {
        batch.push({ ...record, trace_id: `${floorSequence}-${String(record['trace_id'])}` })
      }
    }
    await insertSpanRecords(collector.client, batch, { table: 'spans_floor' })
    rows += batch.length
  }
  const seconds = (performance.now() - started) / 1000
  const cpuMicros = cpuTotal(process.cpuUsage(cpu))
  const stored = (await countRows(collector, 'spans_floor')) - before
  if (stored !== rows) throw new Error(`floor: inserted ${rows} rows, ${stored} stored`)
  return {
    rowsPerSecond: rows / seconds,
    cpuMicrosPerRow: cpuMicros / rows,
    cpuByThread: threadCpuPer(threads, threadCpu(labels), rows),
  }
}
