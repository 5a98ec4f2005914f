import { gzipSync } from 'node:zlib'
import v8 from 'node:v8'
import vm from 'node:vm'
import { decodeTraceRequest, decompressBody } from '@agentmeter/collector'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestSpan, hrNow, jsonBody, protobufBody } from './support/otlp-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Malformed OTLP bodies, protobuf and JSON, compressed and not, through the real route in
 * process (`app.fetch`, no socket, so that 100,000 of them fit in the suite): each answer must be
 * the 4xx the decoder's own verdict calls for, never a 5xx, with memory bounded; a gzip bomb is
 * cut off while inflating; mixed batches keep their valid spans. `AGENTMETER_FUZZ_RUNS` raises
 * the count.
 */
const RUNS = Number(process.env.AGENTMETER_FUZZ_RUNS || 100_000)
const MAX_BODY_BYTES = 64 * 1024 * 1024
const ROUND = 500
/** What a broken body may be answered with: 400 undecodable, 413 too large, 415 unsupported. */
const REFUSALS = new Set([400, 413, 415])
const SEED = Number(process.env.AGENTMETER_FUZZ_SEED || 20261204)

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

let collector: TestCollector

beforeAll(async () => {
  // Rounds of 500 concurrent requests: load shedding (a 503 past 32 in progress) is another
  // suite's subject (ingest-backpressure), so it is opened wide here.
  collector = await createTestCollector({ env: { AGENTMETER_MAX_INGEST_REQUESTS: '100000' } })
})

afterAll(async () => {
  await collector?.close()
})

const llmAttributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 321,
  'gen_ai.usage.output_tokens': 12,
  'agentmeter.prompt.prefix_hashes': ['00000000000000aa', '00000000000000bb'],
}

/** Valid requests of a few shapes, to be broken: one span, a small tree, attribute-heavy. */
function baseSpans(shape: number) {
  const traceId = `${shape + 1}`.padStart(32, 'f')
  const count = [1, 3, 8][shape % 3]!
  return Array.from({ length: count }, (_, i) =>
    createTestSpan({
      traceId,
      spanId: `${i + 1}`.padStart(16, 'e'),
      parentSpanId: i === 0 ? undefined : '1'.padStart(16, 'e'),
      name: i === 0 ? 'invoke_agent fuzz' : 'chat gpt-4o',
      attributes: i === 0 ? { 'agentmeter.task.name': 'fuzz' } : llmAttributes,
    }),
  )
}

const BASES = [0, 1, 2].flatMap((shape) => [
  { format: 'protobuf' as const, body: protobufBody(baseSpans(shape)) },
  { format: 'json' as const, body: jsonBody(baseSpans(shape)) },
])

const breakage = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('bad-tail' as const), wire: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('overlong' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retype' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('edits' as const),
      edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('noise' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }),
    }),
  },
)

type Breakage = typeof breakage extends fc.Arbitrary<infer T> ? T : never

const RETYPES: [string, string][] = [
  ['"resourceSpans":[', '"resourceSpans":{'],
  ['"scopeSpans":[', '"scopeSpans":"'],
  ['"spans":[', '"spans":7,"x":['],
  ['"attributes":[', '"attributes":{"key":['],
  ['"startTimeUnixNano":', '"startTimeUnixNano":{},"y":'],
  ['"traceId":"', '"traceId":["'],
]

/** Breaks a body so that the decoder has something to refuse, in a way each format notices. */
function breakBody(format: 'protobuf' | 'json', body: Uint8Array, how: Breakage): Uint8Array {
  const text = () => Buffer.from(body).toString('latin1')
  switch (how.kind) {
    case 'cut':
      return body.subarray(0, how.at % body.length)
    case 'insert': {
      const at = how.at % (body.length + 1)
      return Buffer.concat([body.subarray(0, at), how.bytes, body.subarray(at)])
    }
    case 'bad-tail':
      // Protobuf: a field tag with a wire type the format does not have (6, 7) or a group
      // (3, 4) never closed; JSON: a second value after the request.
      return format === 'protobuf'
        ? Buffer.concat([body, Uint8Array.of((9 << 3) | [3, 4, 6, 7][how.wire % 4]!, 1)])
        : Buffer.concat([body, Buffer.from([' {}', ']', ',', '"'][how.wire % 4]!)])
    case 'overlong': {
      // A length prefix far beyond the end of the body, or a string never closed.
      if (format === 'protobuf') return Buffer.concat([body, Uint8Array.of(0x0a, 0xff, 0xff, 0x7f)])
      const cut = text().lastIndexOf('"', Math.max(1, how.at % body.length))
      return Buffer.from(`${text().slice(0, cut)}"\\u12`, 'latin1')
    }
    case 'retype': {
      if (format === 'protobuf') return Buffer.concat([Uint8Array.of(0x0b), body])
      const [from, to] = RETYPES[how.pick % RETYPES.length]!
      return Buffer.from(text().replace(from, to), 'latin1')
    }
    case 'edits': {
      const out = Uint8Array.from(body)
      for (const [position, byte] of how.edits) out[position % out.length] = byte
      return out
    }
    case 'noise':
      return how.bytes
  }
}

const compression = fc.oneof(
  { weight: 5, arbitrary: fc.constant('none') },
  { weight: 2, arbitrary: fc.constant('gzip') },
  { weight: 1, arbitrary: fc.constantFrom('gzip-cut', 'gzip-flipped', 'raw-as-gzip') },
)

function compress(body: Uint8Array, how: string): { body: Uint8Array; encoding?: string } {
  if (how === 'none') return { body }
  if (how === 'raw-as-gzip') return { body, encoding: 'gzip' }
  const gzipped = gzipSync(body, { level: 1 })
  if (how === 'gzip-cut') return { body: gzipped.subarray(0, gzipped.length - 5), encoding: 'gzip' }
  if (how === 'gzip-flipped') {
    gzipped[Math.min(12, gzipped.length - 9)]! ^= 0xff
    return { body: gzipped, encoding: 'gzip' }
  }
  return { body: gzipped, encoding: 'gzip' }
}

/** The status the route must answer, from the decoder's own verdict on the same bytes. */
function expectedStatus(body: Uint8Array, contentType: string, encoding?: string): number {
  try {
    const inflated = decompressBody(body, encoding, MAX_BODY_BYTES)
    if (inflated.byteLength > 0) decodeTraceRequest(inflated, contentType)
    return 200
  } catch (err) {
    const status = (err as { status?: number }).status
    if (typeof status !== 'number') throw err
    return status
  }
}

function post(body: Uint8Array, contentType: string, encoding?: string): Promise<Response> {
  return Promise.resolve(
    collector.fetch(
      new Request('http://collector.test/v1/traces', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${collector.apiKey}`,
          'content-type': contentType,
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
        body: body as Uint8Array<ArrayBuffer>,
      }),
    ),
  )
}

function memory() {
  gc()
  const usage = process.memoryUsage()
  return { rss: usage.rss, heap: usage.heapUsed }
}

describe(`${RUNS} malformed OTLP bodies through the ingest route`, () => {
  it('should answer each with the decoder verdict: 4xx for the broken, never a 5xx', async () => {
    const statuses = new Map<number, number>()
    const before = memory()
    const startedAt = performance.now()
    const cpuBefore = process.cpuUsage()
    let peakRss = before.rss
    let runs = 0
    const cases = fc.tuple(fc.nat(BASES.length - 1), breakage, compression)
    // Generated and sent in rounds of concurrent requests: the route's awaits (body stream,
    // authentication) then overlap, which a one-at-a-time property run cannot do.
    for (let round = 0; runs < RUNS; round += 1) {
      const count = Math.min(ROUND, RUNS - runs)
      const sample = fc.sample(cases, { numRuns: count, seed: SEED + round })
      await Promise.all(
        sample.map(async ([pick, how, compressionKind], index) => {
          const base = BASES[pick]!
          const { body, encoding } = compress(
            breakBody(base.format, base.body, how),
            compressionKind,
          )
          const contentType = base.format === 'json' ? 'application/json' : 'application/x-protobuf'
          const response = await post(body, contentType, encoding)
          const answer = await response.arrayBuffer()
          expect(REFUSALS.has(response.status) || response.status === 200).toBe(true)
          // The decoder's own verdict on the same bytes, for every success and every fourth
          // refusal (it costs a second decode; the rest are checked for the status range).
          const checked = response.status === 200 || index % 4 === 0
          const expected = checked ? expectedStatus(body, contentType, encoding) : response.status
          if (response.status !== expected) {
            throw new Error(
              `round ${round} (seed ${SEED + round}): ${JSON.stringify({ pick, how, compressionKind })} answered ${response.status}, expected ${expected}`,
            )
          }
          if (response.status >= 400 && base.format === 'json') {
            const parsed = JSON.parse(Buffer.from(answer).toString()) as { message?: unknown }
            expect(typeof parsed.message).toBe('string')
          }
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        }),
      )
      runs += count
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
    const after = memory()
    const refused = [...statuses].filter(([status]) => status >= 400 && status < 500)
    const refusedCount = refused.reduce((total, [, count]) => total + count, 0)
    if (process.env.AGENTMETER_TEST_REPORT === '1') {
      console.warn({
        runs,
        wallSeconds: (performance.now() - startedAt) / 1000,
        cpuSeconds: (process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e6,
        statuses: Object.fromEntries(statuses),
        heapGrowthMiB: (after.heap - before.heap) / 2 ** 20,
        rssGrowthMiB: (peakRss - before.rss) / 2 ** 20,
      })
    }
    expect(runs).toBe(RUNS)
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true)
    // Almost every body is broken for real; the few that still decode get a (partial) 200.
    expect(refusedCount / RUNS).toBeGreaterThan(0.97)
    expect(after.heap - before.heap).toBeLessThan(64 * 2 ** 20)
    expect(peakRss - before.rss).toBeLessThan(512 * 2 ** 20)
    expect((await fetch(`${collector.url}/readyz`)).status).toBe(200)
    // A few tens of seconds of CPU; the wall time on a machine shared with other jobs is longer
    // (about 400 s for 100,000 bodies at a load average of 20 on 2 cores).
  }, 900_000)

  it('should cut a gzip bomb off at the decompressed limit, with memory bounded', async () => {
    // 1 GiB of zeros in about 1 MiB: 64 gzip members of 16 MiB each, which gunzip reads as one
    // stream (RFC 1952, section 2.2).
    const member = gzipSync(Buffer.alloc(16 * 2 ** 20), { level: 9 })
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member))
    expect(bomb.byteLength).toBeLessThan(2 * 2 ** 20)

    const before = memory()
    const response = await post(bomb, 'application/x-protobuf', 'gzip')
    const grown = process.memoryUsage().rss - before.rss
    expect(response.status).toBe(413)
    // The inflater stops at the 64 MiB cap instead of producing 1 GiB.
    expect(grown).toBeLessThan(256 * 2 ** 20)
    const json = await post(bomb, 'application/json', 'gzip')
    expect(json.status).toBe(413)
    expect(await json.json()).toEqual({
      message: 'request body exceeds the limit of 67108864 bytes (64 MiB) after gzip decompression',
    })
  })

  it('should keep the valid spans of mixed batches and reject the rest alone', async () => {
    const bad = fc.constantFrom('short-trace', 'zero-span', 'huge-attribute', 'year-2300')
    let stored = 0
    const traces: string[] = []
    await fc.assert(
      fc.asyncProperty(
        fc.nat(10_000_000),
        fc.integer({ min: 1, max: 6 }),
        fc.array(bad, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (seed, validCount, badKinds, asJson, gzipped) => {
          const traceId = `${seed.toString(16)}`.padStart(32, 'a')
          if (traces.includes(traceId)) return
          const valid = Array.from({ length: validCount }, (_, i) =>
            createTestSpan({
              traceId,
              spanId: `${i + 1}`.padStart(16, 'c'),
              name: 'chat gpt-4o',
              attributes: llmAttributes,
            }),
          )
          const broken = badKinds.map((kind, i) =>
            createTestSpan({
              traceId: kind === 'short-trace' ? 'abcd' : traceId,
              spanId: kind === 'zero-span' ? '0'.repeat(16) : `${i + 1}`.padStart(16, 'd'),
              name: 'chat gpt-4o',
              attributes:
                kind === 'huge-attribute'
                  ? { ...llmAttributes, 'big.value': 'x'.repeat(200_000) }
                  : llmAttributes,
              ...(kind === 'year-2300' ? { startTime: [10_500_000_000, 0], endTime: hrNow() } : {}),
            }),
          )
          const spans = [...broken, ...valid]
          const raw = asJson ? jsonBody(spans) : protobufBody(spans)
          const body = gzipped ? gzipSync(raw) : raw
          const response = await post(
            body,
            asJson ? 'application/json' : 'application/x-protobuf',
            gzipped ? 'gzip' : undefined,
          )
          expect(response.status).toBe(200)
          if (asJson) {
            expect(await response.json()).toMatchObject({
              partialSuccess: { rejectedSpans: String(badKinds.length) },
            })
          } else {
            await response.arrayBuffer()
          }
          traces.push(traceId)
          stored += validCount
        },
      ),
      { numRuns: 150 },
    )
    const result = await collector.client.query({
      query: `SELECT toUInt64(count()) AS spans FROM spans FINAL
        WHERE trace_id IN {traces:Array(String)}`,
      query_params: { traces },
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ spans: stored }])
  })
})
