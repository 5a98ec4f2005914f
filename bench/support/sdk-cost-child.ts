/**
 * Child process of `pnpm bench sdk`: what one LLM call costs with the SDK, as paired
 * differences with a 95 % bootstrap interval of their median.
 *
 * - Call path: CPU time, wall time and heap bytes allocated per call, for each kind of call, uninstrumented, instrumented, and as a bare OTel span with the
 *   instrumented span's name and final attributes. One round measures one batch of each, in an
 *   order that rotates, so each round gives one difference `traced − plain − bare span` that
 *   shares the machine's state of that moment; the interval resamples the rounds.
 * - Export: the export of a batch of instrumented spans (late fingerprints and pricing, OTLP
 *   encoding, the loopback request) against that of as many bare spans, per span; and the
 *   longest the export holds the event loop, seen by a `setImmediate` ticker running beside it
 *   (the gap between two ticks is what a ready callback of the app waited), also with a long
 *   last message (a 6,000-word tool output) to fingerprint.
 *
 * Started with `--expose-gc` and a young generation large enough that a batch never triggers a
 * scavenge (a batch with any GC is discarded and counted), so the growth of the heap over a
 * batch is what it allocated. Prints one JSON object.
 *
 *   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx \
 *     bench/support/sdk-cost-child.ts <rounds> <triples per round and kind> <warm-up calls> <on|off>
 */

import { PerformanceObserver, performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import { SpanKind, trace, type Attributes } from '@opentelemetry/api'
import { CALL_KINDS, createReplayedClients, type CallKind } from './replayed-provider'
import { startSdk } from './sdk-harness'
import { medianInterval } from './sdk-stats'
import { startSinkProcess } from './sink-process'
import { SWITCHES_SEEN, startStretch } from './sdk-clean-clock'
import { median, percentile } from './stats'

const [rounds = 20, triples = 20, warmUp = 200] = process.argv.slice(2, 5).map(Number)
/** Spans per measured export. */
const batch = 20
const fingerprints = process.argv[5] !== 'off'
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

let lastGcAt = 0
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) lastGcAt = Math.max(lastGcAt, entry.startTime)
}).observe({ entryTypes: ['gc'] })

interface Cost {
  micros: number
  bytes: number
}
type Work = (i: number) => Promise<unknown> | void

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/**
 * One run of `work`: its wall time while the main thread was never switched out (see
 * sdk-clean-clock.ts) and the heap it allocated, or null when the thread was switched out or a
 * GC ran inside it. No export runs inside (the queue is flushed between rounds, far below a full
 * batch), so what it measures is the call path. No `gc()` is forced between runs: its concurrent
 * sweeping would run beside them.
 */
async function measureOne(work: Work, i: number): Promise<Cost | null> {
  const heap = v8.getHeapStatistics().used_heap_size
  const gcBefore = lastGcAt
  const stretch = startStretch()
  const started = performance.now()
  await work(i)
  const { micros, clean } = stretch.stop()
  const grown = v8.getHeapStatistics().used_heap_size - heap
  if (!clean || lastGcAt !== gcBefore || lastGcAt > started) return null
  return { micros, bytes: grown }
}

/**
 * The main thread's holds of the event loop while `during` runs: for each gap between two turns
 * of a `setImmediate` ticker, how long a callback of the app, ready meanwhile, waited. Only gaps
 * in which the thread was never switched out count (`clean`), so the machine's other processes
 * add nothing; `dirty` counts the others.
 */
async function loopHolds(during: () => Promise<void>): Promise<{ holds: number[]; dirty: number }> {
  const holds: number[] = []
  let dirty = 0
  let running = true
  let stretch = startStretch()
  const tick = () => {
    const gap = stretch.stop()
    if (gap.clean) holds.push(gap.micros / 1000)
    else dirty++
    stretch = startStretch()
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  await during()
  running = false
  await nextTurn()
  return { holds, dirty }
}

interface ExportRun {
  cost: Cost | null
  holds: number[]
  dirty: number
}

/**
 * The export of what `batch` runs of `work` queued, per span (wall time: it includes the loopback
 * request to the sink process, which only acknowledges), or null when a GC ran inside it,
 * with the event loop's holds meanwhile.
 */
async function measureExport(work: Work): Promise<ExportRun> {
  await handle.forceFlush()
  for (let i = 0; i < batch; i++) await work(i)
  await nextTurn()
  const gcBefore = lastGcAt
  const started = performance.now()
  const heap = v8.getHeapStatistics().used_heap_size
  const { holds, dirty } = await loopHolds(() => handle.forceFlush())
  const wall = (performance.now() - started) * 1000
  const grown = v8.getHeapStatistics().used_heap_size - heap
  // A scavenge of this bench's 64 MB young generation takes milliseconds: a hold of the runtime's,
  // sized by the bench's flags, not the SDK's. Runs with one are left out of the holds too.
  if (lastGcAt !== gcBefore) return { cost: null, holds: [], dirty }
  return { cost: { micros: wall / batch, bytes: grown / batch }, holds, dirty }
}

// The collector stands in another process, as a real one does: its handling of each export
// (parsing the request, answering) would otherwise count among the export's holds.
const sink = await startSinkProcess('healthy')
const handle = startSdk(sink.url, fingerprints ? { hashKey: 'bench-hash-key' } : {})
const clients = await createReplayedClients()

// Warm up every path, then take each kind's span as the collector receives it.
for (const kind of CALL_KINDS) {
  for (let i = 0; i < warmUp; i++) await clients.call(kind, i, true)
  for (let i = 0; i < warmUp; i++) await clients.call(kind, i, false)
}
await handle.forceFlush()
// One more of each, so each kind is among the newest spans the sink keeps.
for (const kind of CALL_KINDS) await clients.call(kind, warmUp, true)
await handle.forceFlush()
// From here on the sink only acknowledges: its decoding is not the SDK's export work.
const received = await sink.takeSpans()
const spanOf = new Map<CallKind, { name: string; attributes: Attributes }>()
for (const kind of CALL_KINDS) {
  const stream = kind.endsWith('stream')
  const provider = kind.startsWith('openai') ? 'openai' : 'anthropic'
  const span = [...received]
    .reverse()
    .find(
      (s) =>
        s.attributes['gen_ai.provider.name'] === provider &&
        s.attributes['gen_ai.request.stream'] === stream,
    )
  if (!span) throw new Error(`no exported span for ${kind}`)
  const attributes: Attributes = {}
  for (const [key, value] of Object.entries(span.attributes)) {
    attributes[key] = value as Attributes[string]
  }
  spanOf.set(kind, { name: span.name, attributes })
}

/** A tool output pasted into the last message: 6,000 words, over MinHash's 4,000-word cap. */
const LONG_WORDS = Array.from({ length: 6000 }, (_, i) => `w${(i * 7919) % 3001}`)
const longMessage = (i: number) => `Tool output ${i}: ${LONG_WORDS.join(' ')}`
const LONG_KINDS: CallKind[] = ['openai chat', 'anthropic']

const tracer = trace.getTracer('bench-bare-span')
type Case = 'uninstrumented' | 'instrumented' | 'bare span'
const CASES: Case[] = ['uninstrumented', 'instrumented', 'bare span']
const callSamples = new Map<string, Record<Case, Cost>[]>()
const exportSamples = new Map<string, { traced: Cost; bare: Cost }[]>()
const holdsOf = new Map<string, { holds: number[]; dirty: number }>()
let skipped = 0
let call = 0

function pushHolds(key: string, run: ExportRun): void {
  const entry = holdsOf.get(key) ?? { holds: [], dirty: 0 }
  for (const hold of run.holds) entry.holds.push(hold)
  entry.dirty += run.dirty
  holdsOf.set(key, entry)
}

const bareOf = (kind: CallKind): Work => {
  const { name, attributes } = spanOf.get(kind)!
  return () => tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }).end()
}

for (let round = 0; round < rounds; round++) {
  await handle.forceFlush()
  for (const kind of CALL_KINDS) {
    const work: Record<Case, Work> = {
      uninstrumented: (i) => clients.call(kind, i, false),
      instrumented: (i) => clients.call(kind, i, true),
      'bare span': bareOf(kind),
    }
    // One sample is a triple run back to back, in an order that rotates, so each difference
    // shares the machine's state of its moment and no case always follows another.
    for (let t = 0; t < triples; t++) {
      const measured: Partial<Record<Case, Cost>> = {}
      for (let c = 0; c < CASES.length; c++) {
        const label = CASES[(c + t + round) % CASES.length]!
        const cost = await measureOne(work[label], call++)
        if (!cost) break
        measured[label] = cost
      }
      if (measured.uninstrumented && measured.instrumented && measured['bare span']) {
        const list = callSamples.get(kind) ?? []
        list.push(measured as Record<Case, Cost>)
        callSamples.set(kind, list)
      } else skipped++
    }
  }
  const exportCases: [string, Work, Work][] = CALL_KINDS.map((kind) => [
    kind,
    (i) => clients.call(kind, i, true),
    bareOf(kind),
  ])
  for (const kind of LONG_KINDS) {
    exportCases.push([
      `${kind}, long last message`,
      (i) => clients.call(kind, i, true, longMessage(call++ + i)),
      bareOf(kind),
    ])
  }
  for (const [key, traced, bare] of exportCases) {
    const first = round % 2 === 0
    const a = await measureExport(first ? traced : bare)
    const b = await measureExport(first ? bare : traced)
    const [tracedRun, bareRun] = first ? [a, b] : [b, a]
    pushHolds(key, tracedRun)
    pushHolds(`${key}|bare`, bareRun)
    if (tracedRun.cost && bareRun.cost) {
      const list = exportSamples.get(key) ?? []
      list.push({ traced: tracedRun.cost, bare: bareRun.cost })
      exportSamples.set(key, list)
    }
  }
}

const medianOf = (costs: Cost[]) => ({
  micros: median(costs.map((c) => c.micros)),
  bytes: median(costs.map((c) => c.bytes)),
})

const callPath: Record<string, unknown> = {}
for (const [kind, list] of callSamples) {
  const above = (pick: (c: Cost) => number) =>
    list.map((s) => pick(s.instrumented) - pick(s.uninstrumented) - pick(s['bare span']))
  callPath[kind] = {
    plain: medianOf(list.map((s) => s.uninstrumented)),
    traced: medianOf(list.map((s) => s.instrumented)),
    bare: medianOf(list.map((s) => s['bare span'])),
    sdkMicros: medianInterval(list.map((s) => s.instrumented.micros - s.uninstrumented.micros)),
    aboveMicros: medianInterval(above((c) => c.micros)),
    aboveBytes: medianInterval(above((c) => c.bytes)),
  }
}
const exportResult: Record<string, unknown> = {}
for (const [key, list] of exportSamples) {
  const { holds, dirty } = holdsOf.get(key) ?? { holds: [], dirty: 0 }
  const bare = holdsOf.get(`${key}|bare`) ?? { holds: [], dirty: 0 }
  exportResult[key] = {
    traced: medianOf(list.map((s) => s.traced)),
    bare: medianOf(list.map((s) => s.bare)),
    aboveMicros: medianInterval(list.map((s) => s.traced.micros - s.bare.micros)),
    aboveBytes: medianInterval(list.map((s) => s.traced.bytes - s.bare.bytes)),
    holdMaxMs: Math.max(...holds),
    holdP99Ms: percentile(holds, 99),
    turns: holds.length,
    dirtyTurns: dirty,
    bareHoldMaxMs: Math.max(...bare.holds),
    bareHoldP99Ms: percentile(bare.holds, 99),
  }
}
const stats = handle.stats()
console.log(
  JSON.stringify({
    fingerprints,
    switchesSeen: SWITCHES_SEEN,
    rounds,
    triples,
    exportBatch: batch,
    skipped,
    stats,
    callPath,
    export: exportResult,
  }),
)
sink.close()
process.exit(0)
