/**
 * What the SDK costs its host, per LLM call, with the real `openai` and `@anthropic-ai/sdk`
 * clients answered by the replay provider in process (see support/replayed-provider.ts):
 *
 * - Call path: time per call while the main thread was never switched out (its CPU time, see
 *   support/sdk-clean-clock.ts) and heap bytes allocated, non-streaming and streaming: traced
 *   minus plain minus a bare OTel span with the traced span's name and final attributes, per
 *   interleaved triple, as a median with a 95 % bootstrap interval; fingerprints on and off.
 * - Export: the export of a traced span above that of a bare span, and the longest the export
 *   holds the event loop (max and p99 of the main thread's switch-free gaps between two turns of
 *   a `setImmediate` ticker), also with a 6,000-word last message to fingerprint.
 * - Wall-clock latency added at p50 / p99 (95 % bootstrap intervals over the pairs), the event
 *   loop's delay, and heap growth, while the collector is healthy, down, slow (10 s per export)
 *   or answering 500.
 *
 * Each part runs in a child process with the V8 flags it needs (see the child files). The full
 * run is the one the README cites; `--quick` (under a minute) is a smoke check.
 */

import { execFile } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { BenchOptions, SuiteResult } from './main'
import { printTable } from './support/measure'
import { formatInterval, type Interval } from './support/sdk-stats'
import { round } from './support/stats'

const run_ = promisify(execFile)
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

async function child<T>(script: string, flags: string[], args: string[]): Promise<T> {
  const env = { ...process.env }
  // The children choose their own keys; an inherited one would change what is fingerprinted.
  delete env['AGENTMETER_API_KEY']
  delete env['AGENTMETER_HASH_KEY']
  const { stdout } = await run_(
    process.execPath,
    [...flags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
    { cwd: REPO_ROOT, env, maxBuffer: 16 * 2 ** 20 },
  )
  return JSON.parse(stdout.trim().split('\n').pop()!) as T
}

interface Cost {
  micros: number
  bytes: number
}
interface CostReport {
  fingerprints: boolean
  switchesSeen: boolean
  skipped: number
  callPath: Record<
    string,
    {
      plain: Cost
      traced: Cost
      bare: Cost
      sdkMicros: Interval
      aboveMicros: Interval
      aboveBytes: Interval
    }
  >
  export: Record<
    string,
    {
      aboveMicros: Interval
      aboveBytes: Interval
      holdMaxMs: number
      holdP99Ms: number
      turns: number
      dirtyTurns: number
      bareHoldMaxMs: number
      bareHoldP99Ms: number
    }
  >
}
interface LatencyReport {
  behaviour: string
  calls: number
  plain: { p50: number; p99: number }
  p50Added: Interval
  p99Added: Interval
  loopDelay: { traced: { p99: number; max: number }; plain: { p99: number; max: number } }
  heapGrowthMb: number
  heapPeakGrowthMb: number
  stats: { queuedSpans: number; exportedSpans: number; droppedSpans: number; failedSpans: number }
}

const COST_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64']

const rounded = (interval: Interval, digits: number) => ({
  value: round(interval.value, digits),
  low: round(interval.low, digits),
  high: round(interval.high, digits),
  samples: interval.samples,
})

export async function run(options: BenchOptions): Promise<SuiteResult> {
  // Rounds, triples per round and kind, warm-up calls; latency pairs.
  const [rounds, triples, warmUp, latencyCalls] = options.quick
    ? [3, 10, 60, 40]
    : [100, 25, 300, 3000]
  const costs: CostReport[] = []
  // The quick run measures the default setup only (fingerprints on).
  for (const fingerprints of options.quick ? ['on'] : ['on', 'off']) {
    costs.push(
      await child<CostReport>('./support/sdk-cost-child.ts', COST_FLAGS, [
        String(rounds),
        String(triples),
        String(warmUp),
        fingerprints,
      ]),
    )
  }
  const latencies: LatencyReport[] = []
  for (const behaviour of ['healthy', 'down', 'slow', 'error']) {
    latencies.push(
      await child<LatencyReport>(
        './support/sdk-latency-child.ts',
        ['--expose-gc'],
        [behaviour, String(latencyCalls)],
      ),
    )
  }

  const label = (report: CostReport, kind: string) =>
    `${kind}, fingerprints ${report.fingerprints ? 'on' : 'off'}`
  const costRows = costs.flatMap((report) =>
    Object.entries(report.callPath).map(([kind, c]) => ({
      case: label(report, kind),
      plainMicros: round(c.plain.micros, 1),
      tracedMicros: round(c.traced.micros, 1),
      bareSpanMicros: round(c.bare.micros, 1),
      sdkMicros: rounded(c.sdkMicros, 1),
      aboveBareSpanMicros: rounded(c.aboveMicros, 1),
      aboveBareSpanBytes: rounded(c.aboveBytes, 0),
    })),
  )
  const exportRows = costs.flatMap((report) =>
    Object.entries(report.export).map(([kind, e]) => ({
      case: `export: ${label(report, kind)}`,
      aboveBareSpanMicros: rounded(e.aboveMicros, 1),
      aboveBareSpanBytes: rounded(e.aboveBytes, 0),
      holdMaxMs: round(e.holdMaxMs, 3),
      holdP99Ms: round(e.holdP99Ms, 3),
      bareSpanHoldMaxMs: round(e.bareHoldMaxMs, 3),
      bareSpanHoldP99Ms: round(e.bareHoldP99Ms, 3),
      turns: e.turns,
      turnsWithASwitch: e.dirtyTurns,
    })),
  )
  const latencyRows = latencies.map((report) => ({
    case: `collector ${report.behaviour}`,
    calls: report.calls,
    p50AddedMs: rounded(report.p50Added, 3),
    p99AddedMs: rounded(report.p99Added, 3),
    plainP99Ms: round(report.plain.p99, 3),
    loopDelayP99TracedMs: round(report.loopDelay.traced.p99, 2),
    loopDelayP99PlainMs: round(report.loopDelay.plain.p99, 2),
    loopDelayMaxTracedMs: round(report.loopDelay.traced.max, 2),
    loopDelayMaxPlainMs: round(report.loopDelay.plain.max, 2),
    heapGrowthMb: round(report.heapGrowthMb, 1),
    heapPeakGrowthMb: round(report.heapPeakGrowthMb, 1),
    ...report.stats,
  }))
  const ratios: Record<string, number> = {}
  for (const row of costRows) {
    ratios[`${row.case}: traced/plain time`] = round(row.tracedMicros / row.plainMicros)
    ratios[`${row.case}: SDK time/bare span time`] = round(row.sdkMicros.value / row.bareSpanMicros)
  }

  if (!options.quiet) {
    const clock = costs.every((report) => report.switchesSeen)
      ? 'switch-free time of the main thread'
      : 'wall time (no schedstat here: switches not seen)'
    console.log(
      `sdk: ${rounds} rounds × ${triples} interleaved triples per case; ${clock}; ` +
        'medians per call, [95 % bootstrap interval]',
    )
    const i = formatInterval
    printTable([
      ['case', 'plain µs', 'traced µs', 'bare span µs', 'SDK µs', 'above span µs', 'above span B'],
      ...costRows.map((r) => [
        r.case,
        r.plainMicros.toFixed(1),
        r.tracedMicros.toFixed(1),
        r.bareSpanMicros.toFixed(1),
        i(r.sdkMicros),
        i(r.aboveBareSpanMicros),
        i(r.aboveBareSpanBytes, 0),
      ]),
    ])
    console.log('export of 20 spans, per span, above 20 bare spans; loop holds in ms')
    printTable([
      ['case', 'above µs', 'above B', 'hold max', 'hold p99', 'bare max', 'bare p99', 'turns'],
      ...exportRows.map((r) => [
        r.case,
        i(r.aboveBareSpanMicros),
        i(r.aboveBareSpanBytes, 0),
        r.holdMaxMs.toFixed(3),
        r.holdP99Ms.toFixed(3),
        r.bareSpanHoldMaxMs.toFixed(3),
        r.bareSpanHoldP99Ms.toFixed(3),
        String(r.turns),
      ]),
    ])
    console.log(`latency added per call (traced minus plain, alternating, ${latencyCalls} pairs)`)
    printTable([
      [
        'collector',
        'p50 added ms',
        'p99 added ms',
        'plain p99 ms',
        'loop delay p99 traced/plain',
        'heap Δ MB',
        'dropped',
        'failed',
      ],
      ...latencyRows.map((r) => [
        r.case,
        i(r.p50AddedMs, 3),
        i(r.p99AddedMs, 3),
        r.plainP99Ms.toFixed(3),
        `${r.loopDelayP99TracedMs.toFixed(2)} / ${r.loopDelayP99PlainMs.toFixed(2)}`,
        r.heapGrowthMb.toFixed(1),
        String(r.droppedSpans),
        String(r.failedSpans),
      ]),
    ])
  }
  const machine = {
    case: 'machine',
    cores: os.cpus().length,
    loadAverage1m: round(os.loadavg()[0]!, 1),
  }
  if (!options.quiet) {
    console.log(
      `machine: ${machine.cores} cores, load average ${machine.loadAverage1m} (1 min) at the end`,
    )
  }
  return {
    suite: 'sdk',
    results: [...costRows, ...exportRows, ...latencyRows, machine] as Record<string, unknown>[],
    ratios,
  }
}
