/**
 * What the SDK costs its host, per LLM call, with the real `openai` and `@anthropic-ai/sdk`
 * clients answered by the replay provider in process (see support/replayed-provider.ts):
 *
 * - CPU time and heap bytes allocated per call, non-streaming and streaming, instrumented
 *   against uninstrumented (the same client class, untraced instance) and against a bare OTel
 *   span created and ended with the instrumented span's name and attributes; with the
 *   fingerprints on (a hash key) and off.
 * - Wall-clock latency added at p50 / p99, and heap growth, while the collector is healthy,
 *   down, slow (10 s per export) or answering 500.
 *
 * Each part runs in a child process with the V8 flags it needs (see the child files).
 */

import { execFile } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { BenchOptions, SuiteResult } from './main'
import { printTable } from './support/measure'
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
  cpuMicros: number
  bytes: number
  samples: number
}
interface CostReport {
  fingerprints: boolean
  skipped: number
  result: Record<
    string,
    Record<
      'uninstrumented' | 'instrumented' | 'bare span' | 'instrumented export' | 'bare span export',
      Cost
    >
  >
}
interface LatencyReport {
  behaviour: string
  calls: number
  traced: { p50: number; p99: number }
  plain: { p50: number; p99: number }
  heapGrowthMb: number
  heapPeakGrowthMb: number
  stats: { queuedSpans: number; exportedSpans: number; droppedSpans: number; failedSpans: number }
}

const COST_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64']

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const [rounds, batch, warmUp, latencyCalls] = options.quick
    ? [5, 15, 40, 150]
    : [40, 40, 300, 3000]
  const costs: CostReport[] = []
  // The quick run measures the default setup only (fingerprints on).
  for (const fingerprints of options.quick ? ['on'] : ['on', 'off']) {
    costs.push(
      await child<CostReport>('./support/sdk-cost-child.ts', COST_FLAGS, [
        String(rounds),
        String(batch),
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

  const costRows = costs.flatMap((report) =>
    Object.entries(report.result).map(([kind, cases]) => {
      const sdkCpu = cases.instrumented.cpuMicros - cases.uninstrumented.cpuMicros
      const sdkBytes = cases.instrumented.bytes - cases.uninstrumented.bytes
      return {
        case: `${kind}, fingerprints ${report.fingerprints ? 'on' : 'off'}`,
        uninstrumentedCpuMicros: round(cases.uninstrumented.cpuMicros, 1),
        instrumentedCpuMicros: round(cases.instrumented.cpuMicros, 1),
        bareSpanCpuMicros: round(cases['bare span'].cpuMicros, 1),
        sdkCpuMicros: round(sdkCpu, 1),
        cpuAboveBareSpanMicros: round(sdkCpu - cases['bare span'].cpuMicros, 1),
        sdkBytes: Math.round(sdkBytes),
        bareSpanBytes: Math.round(cases['bare span'].bytes),
        bytesAboveBareSpan: Math.round(sdkBytes - cases['bare span'].bytes),
        // Late attributes (fingerprints, pricing) run at export: what the export of an
        // instrumented span costs above that of a bare span with the same attributes.
        exportCpuMicros: round(cases['instrumented export'].cpuMicros, 1),
        bareSpanExportCpuMicros: round(cases['bare span export'].cpuMicros, 1),
        exportCpuAboveBareSpanMicros: round(
          cases['instrumented export'].cpuMicros - cases['bare span export'].cpuMicros,
          1,
        ),
        exportBytesAboveBareSpan: Math.round(
          cases['instrumented export'].bytes - cases['bare span export'].bytes,
        ),
      }
    }),
  )
  const latencyRows = latencies.map((report) => ({
    case: `collector ${report.behaviour}`,
    calls: report.calls,
    p50AddedMs: round(report.traced.p50 - report.plain.p50, 3),
    p99AddedMs: round(report.traced.p99 - report.plain.p99, 3),
    plainP99Ms: round(report.plain.p99, 3),
    heapGrowthMb: round(report.heapGrowthMb, 1),
    heapPeakGrowthMb: round(report.heapPeakGrowthMb, 1),
    ...report.stats,
  }))
  const ratios: Record<string, number> = {}
  for (const row of costRows) {
    ratios[`${row.case}: instrumented/uninstrumented CPU`] = round(
      row.instrumentedCpuMicros / row.uninstrumentedCpuMicros,
    )
    ratios[`${row.case}: SDK CPU/bare span CPU`] = round(row.sdkCpuMicros / row.bareSpanCpuMicros)
  }

  if (!options.quiet) {
    console.log(`sdk: ${rounds} rounds of ${batch} calls per case; medians per call`)
    printTable([
      [
        'case',
        'plain µs',
        'traced µs',
        'bare span µs',
        'above span µs',
        'SDK B',
        'above span B',
        'export above µs',
        'export above B',
      ],
      ...costRows.map((r) => [
        r.case,
        r.uninstrumentedCpuMicros.toFixed(1),
        r.instrumentedCpuMicros.toFixed(1),
        r.bareSpanCpuMicros.toFixed(1),
        r.cpuAboveBareSpanMicros.toFixed(1),
        String(r.sdkBytes),
        String(r.bytesAboveBareSpan),
        r.exportCpuAboveBareSpanMicros.toFixed(1),
        String(r.exportBytesAboveBareSpan),
      ]),
    ])
    console.log(
      'export above: the export of an instrumented span (late fingerprints and pricing) minus ' +
        'that of a bare span with the same attributes, per span',
    )
    console.log(`latency added per call (traced minus plain, alternating, ${latencyCalls} pairs)`)
    printTable([
      [
        'collector',
        'p50 added ms',
        'p99 added ms',
        'plain p99 ms',
        'heap Δ MB',
        'dropped',
        'failed',
      ],
      ...latencyRows.map((r) => [
        r.case,
        r.p50AddedMs.toFixed(3),
        r.p99AddedMs.toFixed(3),
        r.plainP99Ms.toFixed(3),
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
    results: [...costRows, ...latencyRows, machine] as Record<string, unknown>[],
    ratios,
  }
}
