import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan, type LlmCallInput } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * A prefix's tokens are the SDK's estimate and the cached ones the provider's count, so a call
 * served its whole eligible prefix can look a few tokens short of it. Such a call is no missed
 * cache and no cache breaker; a call the provider left a real block uncached is, priced on the
 * estimate exactly as before. Each task has hashes of its own and starts 10 minutes after the
 * one before (past every TTL), so no task warms another's prefix.
 *
 * claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 5-minute cache write per million (a
 * cached token saves $2.70, a written one costs $0.75 more); gpt-4o: $2.50 input, $1.25 cached
 * (saves $1.25), OpenAI caching from 1,024 tokens in steps of 128.
 */
const day = new Date(Date.UTC(2026, 10, 24, 10, 0, 0))
const FROM = '2026-11-24T10:00:00Z'
const TO = '2026-11-24T12:00:00Z'
const claude = { provider: 'anthropic', model: 'claude-sonnet-4-5' }
const gpt = { provider: 'openai', model: 'gpt-4o' }
let collector: TestCollector
let counter = 0

type Call = Omit<
  LlmCallInput,
  'taskId' | 'taskName' | 'spanId' | 'at' | 'requestHash' | 'input' | 'output'
> & { seconds: number }

/** The calls of one task (its own name, so each case is its own hotspot), `start` minutes in. */
function task(name: string, start: number, calls: Call[]): JsonSpanInput[] {
  const begin = day.getTime() + start * 60_000
  return [
    taskRootSpan(name, name, new Date(begin)),
    ...calls.map(({ seconds, ...call }) => {
      counter++
      return llmCallSpan({
        ...call,
        step: 'answer',
        taskId: name,
        taskName: name,
        spanId: `c${counter.toString(16).padStart(15, '0')}`,
        at: new Date(begin + seconds * 1000),
        requestHash: `d${counter.toString(16).padStart(15, '0')}`,
        input: call.prefixTokens!.at(-1)!,
        output: 0,
      })
    }),
  ]
}

/** 16-hex hashes of a case: `h('f', 1)` is `f000000000000001`. */
const h = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(15, '0')}`

/** Three questions on one prefix (`shared`, then one message each), the same system prompt. */
function siblings(
  model: { provider: string; model: string },
  prefix: string,
  shared: number[],
  served: number[],
  write = 0,
): Call[] {
  const links = shared.map((_, index) => h(prefix, index + 1))
  return served.map((cacheRead, index) => ({
    ...model,
    seconds: index * 10,
    cacheRead,
    ...(index === 0 && write > 0 ? { cacheWrite: write } : {}),
    prefixHashes: [...links, h(prefix, 0xa + index)],
    prefixTokens: [...shared, shared.at(-1)! + 100 + index * 10],
    systemHash: h(prefix, 0xf),
  }))
}

function workload(): JsonSpanInput[] {
  return [
    // A 2,000-token system prompt behind a cache breakpoint, estimated at 2,004 tokens at its
    // boundary: the provider served all of it (1,998 of its tokens) to the later calls. The
    // rule before priced the 6-token gap as a missed cache on every call.
    ...task('noise-breakpoint', 0, siblings(claude, '1', [2004], [0, 1998, 1998], 1998)),
    // An automatic cache whose estimate (1,540) crosses a 128-token step the real prefix
    // (1,530) does not: the provider served 1,408 = 1,024 + 3 × 128, one step under the
    // estimate's 1,536. Not a missed step.
    ...task('noise-step', 10, siblings(gpt, '2', [1540], [0, 1408, 1408])),
    // A prefix estimated at 1,050 tokens, within its error of OpenAI's 1,024 minimum, served
    // nothing: it may well be under the minimum.
    ...task('noise-minimum', 20, siblings(gpt, '3', [1050], [0, 0, 0])),
    // A conversation resumed 400 s on, past the 5-minute TTL the rules assume, that the
    // provider still served (a 1-hour cache): 2,396 of the 2,400-token prompt it continues.
    ...task('noise-ttl', 30, [
      {
        ...claude,
        seconds: 0,
        cacheWrite: 2396,
        prefixHashes: [h('4', 1), h('4', 2)],
        prefixTokens: [2000, 2400],
        systemHash: h('4', 9),
      },
      {
        ...claude,
        seconds: 400,
        cacheRead: 2396,
        prefixHashes: [h('4', 1), h('4', 2), h('4', 3), h('4', 4)],
        prefixTokens: [2000, 2400, 2500, 3000],
        systemHash: h('4', 9),
      },
    ]),
    // A real miss: a breakpoint on the 2,000-token system prompt only, then the same
    // 1,500-token document before each question. The later calls were served the system
    // prompt, never the document: 1,500 tokens missed on each, the first carrying the write
    // premium.
    ...task('real-block', 40, siblings(claude, '5', [2000, 3500], [0, 2000, 2000], 2000)),
    // A real miss on an automatic cache: a 2,000-token system prompt served nothing; 1,920 of
    // it is cacheable (1,024 + 7 × 128) on each later call.
    ...task('real-automatic', 50, siblings(gpt, '6', [2000], [0, 0, 0])),
  ]
}

interface Report {
  totalWastedUsd: number
  hotspots: Array<{
    cause: string
    taskName: string
    detail: string
    occurrences: number
    wastedUsd: number
  }>
}

async function hotspots(): Promise<Report> {
  const { status, body } = await collector.api<Report>(`/api/v1/hotspots?from=${FROM}&to=${TO}`)
  expect(status).toBe(200)
  return body
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  expect(await collector.sendTraces(createOtlpJsonBody(workload()))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('missed prompt cache and token-estimate noise', { timeout: 180_000 }, () => {
  it('should price real misses exactly and no call served all but the estimate error, from the spans and the parts', async () => {
    const expected = [
      // 2 × 1500 missed × $2.70 − 1500 written × $0.75 per million.
      'missed_prompt_cache real-block unused_cache 2 0.006975',
      // 2 × 1920 × $1.25 per million.
      'missed_prompt_cache real-automatic unused_cache 2 0.0048',
    ]
    const rows = (report: Report) =>
      report.hotspots.map(
        (row) => `${row.cause} ${row.taskName} ${row.detail} ${row.occurrences} ${row.wastedUsd}`,
      )
    const fromSpans = await hotspots()
    expect(rows(fromSpans)).toEqual(expected)
    expect(fromSpans.totalWastedUsd).toBe(0.011775)
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const fromParts = await hotspots()
    expect(rows(fromParts)).toEqual(expected)
    expect(fromParts.totalWastedUsd).toBe(0.011775)
  })
})
