/**
 * A process to profile the SDK's call path in: traced calls, plain calls (or both, alternating)
 * and bare spans of the real clients against the in-process replay answers, with no export on
 * the path (the queue is flushed every 50 rounds; the sink only acknowledges). Prints each
 * case's median wall time per call. Run it twice, traced and plain, under the profiler and
 * compare the two profiles' samples per frame:
 *
 *   node --cpu-prof --cpu-prof-interval 25 --import tsx bench/support/sdk-profile-child.ts traced 4000
 *   node --cpu-prof --cpu-prof-interval 25 --import tsx bench/support/sdk-profile-child.ts plain 4000
 *
 * A third argument keeps to some kinds of call: `traced 4000 'openai chat stream'`.
 */

import { performance } from 'node:perf_hooks'
import { SpanKind, trace } from '@opentelemetry/api'
import { CALL_KINDS, createReplayedClients } from './replayed-provider'
import { startSdk, startSink } from './sdk-harness'
import { median } from './stats'
import { startWindowProfile } from './window-profile'

type Mode = 'traced' | 'plain' | 'bare'
const modes = (process.argv[2] ?? 'traced,plain,bare').split(',') as Mode[]
const rounds = Number(process.argv[3] ?? 2000)
/** Optionally only some kinds of call (comma-separated, e.g. `openai chat stream`). */
const kinds = process.argv[4] ? (process.argv[4].split(',') as typeof CALL_KINDS) : CALL_KINDS

const sink = await startSink('healthy')
const handle = startSdk(sink.url, { hashKey: 'bench-hash-key' })
const clients = await createReplayedClients()
const tracer = trace.getTracer('bench-bare-span')
for (const kind of CALL_KINDS) {
  for (let i = 0; i < 200; i++) {
    await clients.call(kind, i, true)
    await clients.call(kind, i, false)
  }
}
await handle.forceFlush()
sink.decoding = false

// With AGENTMETER_PROFILE_OUT set, the inspector profiles only the measured loop (no start-up,
// warm-up or last flush), sampling every 25 µs, and writes the profile there.
const stopProfile = await startWindowProfile(25)
const times = new Map<string, number[]>()
for (let round = 0; round < rounds; round++) {
  const kind = kinds[round % kinds.length]!
  for (let m = 0; m < modes.length; m++) {
    const mode = modes[(m + round) % modes.length]!
    const started = performance.now()
    if (mode === 'bare') {
      tracer.startSpan(`chat ${kind}`, { kind: SpanKind.CLIENT, attributes: { a: 1 } }).end()
    } else {
      await clients.call(kind, round, mode === 'traced')
    }
    const key = `${kind}, ${mode}`
    const list = times.get(key) ?? []
    list.push((performance.now() - started) * 1000)
    times.set(key, list)
  }
  if (round % 50 === 0) await handle.forceFlush()
}
await stopProfile()
for (const [key, list] of times) console.log(`${key}: median ${median(list).toFixed(1)} µs`)
await sink.close()
process.exit(0)
