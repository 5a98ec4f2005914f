/**
 * Child process of `pnpm bench sdk`: CPU time and heap bytes allocated per call, for each kind
 * of LLM call, uninstrumented, instrumented, and as a bare OTel span with the instrumented
 * span's name and attributes. Started by bench/sdk.ts with `--expose-gc` and a young
 * generation large enough that a measured batch never triggers a scavenge, so the growth of
 * the heap over a batch is what the batch allocated. Prints one JSON object.
 *
 *   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx \
 *     bench/support/sdk-cost-child.ts <rounds> <calls per batch> <warm-up calls> <fingerprints: on|off>
 */

import { PerformanceObserver, performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import { SpanKind, trace, type Attributes } from '@opentelemetry/api'
import { CALL_KINDS, createReplayedClients, type CallKind } from './replayed-provider'
import { startSdk, startSink } from './sdk-harness'
import { median } from './stats'

const [rounds = 20, batch = 40, warmUp = 200] = process.argv.slice(2, 5).map(Number)
const fingerprints = process.argv[5] !== 'off'
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

let lastGcAt = 0
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) lastGcAt = Math.max(lastGcAt, entry.startTime)
}).observe({ entryTypes: ['gc'] })

interface Cost {
  cpuMicros: number
  bytes: number
}

/**
 * One batch of `batch` sequential runs of `work`, or null when a GC ran inside it. The span
 * queue is flushed first, so no export runs inside the batch: what it measures is the call path.
 */
async function measureBatch(work: (i: number) => Promise<unknown> | void): Promise<Cost | null> {
  await handle.forceFlush()
  gc!()
  await new Promise((resolve) => setImmediate(resolve))
  const started = performance.now()
  const heap = v8.getHeapStatistics().used_heap_size
  const cpu = process.cpuUsage()
  for (let i = 0; i < batch; i++) await work(i)
  const used = process.cpuUsage(cpu)
  const grown = v8.getHeapStatistics().used_heap_size - heap
  await new Promise((resolve) => setImmediate(resolve))
  if (lastGcAt > started) return null
  return { cpuMicros: (used.user + used.system) / batch, bytes: grown / batch }
}

/**
 * The export of what one batch of `work` queued (late attributes, OTLP encoding, the loopback
 * request and the in-process sink's decoding), per span, or null when a GC ran inside it.
 */
async function measureExport(work: (i: number) => Promise<unknown> | void): Promise<Cost | null> {
  await handle.forceFlush()
  for (let i = 0; i < batch; i++) await work(i)
  gc!()
  await new Promise((resolve) => setImmediate(resolve))
  const started = performance.now()
  const heap = v8.getHeapStatistics().used_heap_size
  const cpu = process.cpuUsage()
  await handle.forceFlush()
  const used = process.cpuUsage(cpu)
  const grown = v8.getHeapStatistics().used_heap_size - heap
  if (lastGcAt > started) return null
  return { cpuMicros: (used.user + used.system) / batch, bytes: grown / batch }
}

const sink = await startSink('healthy')
const handle = startSdk(sink.url, fingerprints ? { hashKey: 'bench-hash-key' } : {})
const clients = await createReplayedClients()

// Warm up every path, then take each kind's span as the collector receives it.
for (const kind of CALL_KINDS) {
  for (let i = 0; i < warmUp; i++) await clients.call(kind, i, true)
  for (let i = 0; i < warmUp; i++) await clients.call(kind, i, false)
}
await handle.forceFlush()
const spanOf = new Map<CallKind, { name: string; attributes: Attributes }>()
for (const kind of CALL_KINDS) {
  const stream = kind.endsWith('stream')
  const provider = kind.startsWith('openai') ? 'openai' : 'anthropic'
  const span = [...sink.spans]
    .reverse()
    .find(
      (s) =>
        s.attributes['gen_ai.provider.name'] === provider &&
        s.attributes['gen_ai.request.stream'] === stream,
    )
  if (!span) throw new Error(`no exported span for ${kind}`)
  const attributes: Attributes = {}
  for (const [key, value] of Object.entries(span.attributes)) {
    attributes[key] = (typeof value === 'bigint' ? Number(value) : value) as Attributes[string]
  }
  spanOf.set(kind, { name: span.name, attributes })
}

const tracer = trace.getTracer('bench-bare-span')
const samples = new Map<string, Cost[]>()
let skipped = 0
for (let round = 0; round < rounds; round++) {
  for (const kind of CALL_KINDS) {
    const { name, attributes } = spanOf.get(kind)!
    const instrumented = (i: number) => clients.call(kind, i, true)
    const bare = () => tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }).end()
    const cases: [string, () => Promise<Cost | null>][] = [
      ['uninstrumented', () => measureBatch((i) => clients.call(kind, i, false))],
      ['instrumented', () => measureBatch(instrumented)],
      ['bare span', () => measureBatch(bare)],
      ['instrumented export', () => measureExport(instrumented)],
      ['bare span export', () => measureExport(bare)],
    ]
    // The order rotates each round, so slow drift of the machine favours no case.
    for (let c = 0; c < cases.length; c++) {
      const [label, measure] = cases[(c + round) % cases.length]!
      const cost = await measure()
      if (!cost) {
        skipped++
        continue
      }
      const key = `${kind}|${label}`
      samples.set(key, [...(samples.get(key) ?? []), cost])
    }
  }
}

const result: Record<string, Record<string, Cost & { samples: number }>> = {}
for (const [key, costs] of samples) {
  const [kind, label] = key.split('|') as [string, string]
  result[kind] ??= {}
  result[kind][label] = {
    cpuMicros: median(costs.map((c) => c.cpuMicros)),
    bytes: median(costs.map((c) => c.bytes)),
    samples: costs.length,
  }
}
const stats = handle.stats()
console.log(JSON.stringify({ fingerprints, rounds, batch, skipped, stats, result }))
await sink.close()
process.exit(0)
