/**
 * Child process of `pnpm bench sdk`: the wall-clock latency an instrumented call adds while the
 * collector is healthy, down, slow (10 s per export) or answering 500, and whether memory stays
 * bounded meanwhile. Traced and plain calls alternate, one by one, in one process, so both see
 * the same machine; exports run every 100 ms, so many of them overlap the calls. Prints one JSON
 * object. The collector runs in a process of its own (see sink-process.ts). The p50 and p99
 * added come with a 95 % bootstrap interval over the pairs; then a run of plain calls and one of
 * traced calls each report the event loop's delay (`monitorEventLoopDelay`).
 *
 *   node --expose-gc --import tsx bench/support/sdk-latency-child.ts <behaviour> <calls>
 */

import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { createReplayedClients, type CallKind } from './replayed-provider'
import { startSdk, type CollectorBehaviour } from './sdk-harness'
import { startReplayProcess } from './replay-process'
import { startSinkProcess } from './sink-process'
import { bootstrap } from './sdk-stats'
import { percentile } from './stats'

const behaviour = (process.argv[2] ?? 'healthy') as CollectorBehaviour
const calls = Number(process.argv[3] ?? 2000)
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

const sink = await startSinkProcess(behaviour)
const handle = startSdk(sink.url, { hashKey: 'bench-hash-key', exportIntervalMillis: 100 })
// Calls go to the replay provider over loopback HTTP, from a process of its own: an app's call
// waits on the network, and the event loop turns meanwhile (exports get their slices then).
const provider = await startReplayProcess()
const clients = await createReplayedClients(provider)
const kinds: CallKind[] = ['openai chat', 'openai chat stream', 'anthropic', 'anthropic stream']

// Warm-up: 100 pairs, fewer in a short (`--quick`) run.
for (let i = 0; i < Math.min(100, Math.ceil(calls / 3)); i++) {
  await clients.call(kinds[i % 4]!, i, true)
  await clients.call(kinds[i % 4]!, i, false)
}
gc()
const heapBefore = process.memoryUsage().heapUsed
let heapPeak = heapBefore

const traced: number[] = []
const plain: number[] = []
const started = performance.now()
for (let i = 0; i < calls; i++) {
  const kind = kinds[(i >> 1) % 4]!
  // Alternate which of the pair goes first, so neither always follows an idle gap.
  for (const withSdk of i % 2 === 0 ? [true, false] : [false, true]) {
    const t0 = performance.now()
    await clients.call(kind, i, withSdk)
    ;(withSdk ? traced : plain).push(performance.now() - t0)
  }
  // An agent does other work between calls; exports get their turns on the loop here.
  if (i % 10 === 0) {
    await sleep(1)
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
  }
}
const seconds = (performance.now() - started) / 1000

/**
 * The event loop's delay (how late a 1 ms-resolution timer fired, p99 and max, ms) over a run of
 * `count` calls all traced or all plain: what an app's other callbacks wait while calls and
 * their exports run.
 */
async function loopDelay(withSdk: boolean, count: number): Promise<{ p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  for (let i = 0; i < count; i++) {
    await clients.call(kinds[i % 4]!, i, withSdk)
    if (i % 10 === 0) await sleep(1)
  }
  histogram.disable()
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 }
}
const delayCalls = Math.max(24, Math.floor(calls / 4))
const delayPlain = await loopDelay(false, delayCalls)
const delayTraced = await loopDelay(true, delayCalls)

gc()
const heapAfter = process.memoryUsage().heapUsed

// The pairs are the independent units: resampling them keeps each traced call with its plain
// twin, so the interval is that of the difference.
const pairs = traced.map((t, i) => [t, plain[i]!] as const)
const added = (p: number) =>
  bootstrap(
    pairs,
    (sample) =>
      percentile(
        sample.map(([t]) => t),
        p,
      ) -
      percentile(
        sample.map(([, q]) => q),
        p,
      ),
  )

console.log(
  JSON.stringify({
    behaviour,
    calls,
    seconds,
    traced: { p50: percentile(traced, 50), p99: percentile(traced, 99) },
    plain: { p50: percentile(plain, 50), p99: percentile(plain, 99) },
    p50Added: added(50),
    p99Added: added(99),
    loopDelay: { traced: delayTraced, plain: delayPlain, calls: delayCalls },
    heapGrowthMb: (heapAfter - heapBefore) / 2 ** 20,
    heapPeakGrowthMb: (heapPeak - heapBefore) / 2 ** 20,
    stats: handle.stats(),
  }),
)
sink.close()
provider.close()
process.exit(0)
