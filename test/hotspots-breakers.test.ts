import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, taskRootSpan, type LlmCallInput } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Which calls break the prompt cache, to the exact dollar. A call is paired with the call it
 * continues, never merely with the one before it: fan-out siblings that share only a system
 * prompt, the first call of another step and two interleaved conversations are no breakers;
 * a rewritten earlier message, a changed system prompt or tool list within one conversation and
 * a conversation resumed after the TTL are. Each task has hashes of its own and starts 10
 * minutes after the one before (past every TTL), so no task warms another's prefix.
 *
 * claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 5-minute cache write per million (a
 * cached token saves $2.70, a written one costs $0.75 more); gpt-4o: $2.50 input, $1.25 cached
 * (saves $1.25), OpenAI caching from 1,024 tokens in steps of 128.
 */
const day = new Date(Date.UTC(2026, 10, 23, 10, 0, 0))
const FROM = '2026-11-23T10:00:00Z'
const TO = '2026-11-23T12:00:00Z'
const claude = { provider: 'anthropic', model: 'claude-sonnet-4-5' }
const gpt = { provider: 'openai', model: 'gpt-4o' }
let collector: TestCollector
let counter = 0

/** The calls of one task (its own name, so each case is its own hotspot), `start` minutes in. */
function task(
  name: string,
  start: number,
  calls: Array<
    Omit<
      LlmCallInput,
      'taskId' | 'taskName' | 'spanId' | 'at' | 'requestHash' | 'input' | 'output'
    > & {
      seconds: number
      step: string
    }
  >,
): JsonSpanInput[] {
  const begin = day.getTime() + start * 60_000
  return [
    taskRootSpan(name, name, new Date(begin)),
    ...calls.map(({ seconds, ...call }) => {
      counter++
      return llmCallSpan({
        ...call,
        taskId: name,
        taskName: name,
        spanId: `b${counter.toString(16).padStart(15, '0')}`,
        at: new Date(begin + seconds * 1000),
        requestHash: `a${counter.toString(16).padStart(15, '0')}`,
        input: call.prefixTokens!.at(-1)!,
        output: 0,
      })
    }),
  ]
}

/** 16-hex hashes of a case: `h('f', 1)` is `f000000000000001`. */
const h = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(15, '0')}`

function workload(): JsonSpanInput[] {
  return [
    // Three file reviews, each its own conversation: the 2000-token system prompt and a file.
    // Not read from cache, so the shared system prompt is a missed cache (two misses, the
    // first carrying the write premium); the rest of each prompt was never the others'.
    ...task('fanout', 0, [
      {
        ...claude,
        step: 'review',
        seconds: 0,
        prefixHashes: [h('f', 1), h('f', 2)],
        prefixTokens: [2000, 2600],
        systemHash: h('f', 9),
      },
      {
        ...claude,
        step: 'review',
        seconds: 10,
        prefixHashes: [h('f', 1), h('f', 3)],
        prefixTokens: [2000, 3100],
        systemHash: h('f', 9),
      },
      {
        ...claude,
        step: 'review',
        seconds: 20,
        prefixHashes: [h('f', 1), h('f', 4)],
        prefixTokens: [2000, 2300],
        systemHash: h('f', 9),
      },
    ]),
    // The same fan-out with the system prompt marked for caching: nothing is wasted.
    ...task('fanout-cached', 10, [
      {
        ...claude,
        step: 'review',
        seconds: 0,
        cacheWrite: 2000,
        prefixHashes: [h('c', 1), h('c', 2)],
        prefixTokens: [2000, 2600],
        systemHash: h('c', 9),
      },
      {
        ...claude,
        step: 'review',
        seconds: 10,
        cacheRead: 2000,
        prefixHashes: [h('c', 1), h('c', 3)],
        prefixTokens: [2000, 3100],
        systemHash: h('c', 9),
      },
      {
        ...claude,
        step: 'review',
        seconds: 20,
        cacheRead: 2000,
        prefixHashes: [h('c', 1), h('c', 4)],
        prefixTokens: [2000, 2300],
        systemHash: h('c', 9),
      },
    ]),
    // gpt-4o siblings sharing a 900-token system prompt: below the cache minimum, nothing.
    ...task('fanout-short', 20, [
      {
        ...gpt,
        step: 'classify',
        seconds: 0,
        prefixHashes: [h('d', 1), h('d', 2)],
        prefixTokens: [900, 1300],
        systemHash: h('d', 9),
      },
      {
        ...gpt,
        step: 'classify',
        seconds: 5,
        prefixHashes: [h('d', 1), h('d', 3)],
        prefixTokens: [900, 1250],
        systemHash: h('d', 9),
      },
    ]),
    // A step change: two read-files turns (tools and a planner prompt), then a review with
    // another system prompt and no tools, then a summary. Each step starts its own prompt.
    ...task('steps', 30, [
      {
        ...claude,
        step: 'read-files',
        seconds: 0,
        prefixHashes: [h('e', 1), h('e', 2), h('e', 3)],
        prefixTokens: [300, 400, 450],
        systemHash: h('e', 8),
        toolsHash: h('e', 7),
      },
      {
        ...claude,
        step: 'read-files',
        seconds: 5,
        prefixHashes: [h('e', 1), h('e', 2), h('e', 3), h('e', 4), h('e', 5)],
        prefixTokens: [300, 400, 450, 500, 1500],
        systemHash: h('e', 8),
        toolsHash: h('e', 7),
      },
      {
        ...claude,
        step: 'review-file',
        seconds: 10,
        prefixHashes: [h('e', 0xa), h('e', 0xb)],
        prefixTokens: [1200, 2600],
        systemHash: h('e', 9),
      },
      {
        ...claude,
        step: 'summarize',
        seconds: 15,
        prefixHashes: [h('e', 0xc), h('e', 0xd)],
        prefixTokens: [100, 1400],
        systemHash: h('e', 6),
      },
    ]),
    // Two conversations interleaved in one task, each read from its own cache: the call before
    // each second turn is the other conversation's, but the turn continues its own.
    ...task('interleaved', 40, [
      {
        ...claude,
        step: 'answer',
        seconds: 0,
        prefixHashes: [h('1', 0), h('1', 1)],
        prefixTokens: [1500, 1800],
        systemHash: h('1', 9),
      },
      {
        ...claude,
        step: 'answer',
        seconds: 5,
        cacheRead: 1500,
        prefixHashes: [h('1', 0), h('2', 1)],
        prefixTokens: [1500, 1900],
        systemHash: h('1', 9),
      },
      {
        ...claude,
        step: 'answer',
        seconds: 10,
        cacheRead: 1800,
        prefixHashes: [h('1', 0), h('1', 1), h('1', 2), h('1', 3)],
        prefixTokens: [1500, 1800, 1900, 2500],
        systemHash: h('1', 9),
      },
      {
        ...claude,
        step: 'answer',
        seconds: 15,
        cacheRead: 1900,
        prefixHashes: [h('1', 0), h('2', 1), h('2', 2), h('2', 3)],
        prefixTokens: [1500, 1900, 2000, 2600],
        systemHash: h('1', 9),
      },
    ]),
    // History rewritten: the third turn edits the first user message. The system prompt (1500)
    // is still served; the rest of the 2600-token prompt it continues (1100 tokens) is lost.
    ...task('rewrite', 50, [
      {
        ...claude,
        step: 'chat',
        seconds: 0,
        prefixHashes: [h('3', 1), h('3', 2)],
        prefixTokens: [1500, 1800],
        systemHash: h('3', 9),
      },
      {
        ...claude,
        step: 'chat',
        seconds: 20,
        cacheRead: 1800,
        prefixHashes: [h('3', 1), h('3', 2), h('3', 3), h('3', 4)],
        prefixTokens: [1500, 1800, 1900, 2600],
        systemHash: h('3', 9),
      },
      {
        ...claude,
        step: 'chat',
        seconds: 40,
        cacheRead: 1500,
        prefixHashes: [h('3', 1), h('3', 5), h('3', 6), h('3', 7), h('3', 8), h('3', 0xa)],
        prefixTokens: [1500, 1810, 1910, 2610, 2700, 3300],
        systemHash: h('3', 9),
      },
    ]),
    // A timestamp in the system prompt, new at the third turn (gpt-4o, tools first): the 2300
    // tokens of the prompt it continues, 2176 of them cacheable, are lost.
    ...task('system-change', 60, [
      {
        ...gpt,
        step: 'agent',
        seconds: 0,
        prefixHashes: [h('4', 1), h('4', 2), h('4', 3)],
        prefixTokens: [200, 1400, 1600],
        systemHash: h('4', 9),
        toolsHash: h('4', 8),
      },
      {
        ...gpt,
        step: 'agent',
        seconds: 20,
        cacheRead: 1536,
        prefixHashes: [h('4', 1), h('4', 2), h('4', 3), h('4', 4), h('4', 5)],
        prefixTokens: [200, 1400, 1600, 1700, 2300],
        systemHash: h('4', 9),
        toolsHash: h('4', 8),
      },
      {
        ...gpt,
        step: 'agent',
        seconds: 40,
        prefixHashes: [h('4', 1), h('5', 2), h('5', 3), h('5', 4), h('5', 5), h('5', 6), h('5', 7)],
        prefixTokens: [200, 1410, 1610, 1710, 2310, 2400, 3000],
        systemHash: h('5', 9),
        toolsHash: h('4', 8),
      },
    ]),
    // The tool list reordered at the third turn: the whole 2700-token prompt is lost.
    ...task('tools-change', 70, [
      {
        ...claude,
        step: 'agent',
        seconds: 0,
        prefixHashes: [h('6', 1), h('6', 2), h('6', 3)],
        prefixTokens: [600, 2000, 2200],
        systemHash: h('6', 9),
        toolsHash: h('6', 8),
      },
      {
        ...claude,
        step: 'agent',
        seconds: 20,
        cacheRead: 2200,
        prefixHashes: [h('6', 1), h('6', 2), h('6', 3), h('6', 4), h('6', 5)],
        prefixTokens: [600, 2000, 2200, 2300, 2700],
        systemHash: h('6', 9),
        toolsHash: h('6', 8),
      },
      {
        ...claude,
        step: 'agent',
        seconds: 40,
        prefixHashes: [h('7', 1), h('7', 2), h('7', 3), h('7', 4), h('7', 5), h('7', 6), h('7', 7)],
        prefixTokens: [600, 2000, 2200, 2300, 2700, 2800, 3200],
        systemHash: h('6', 9),
        toolsHash: h('7', 8),
      },
    ]),
    // A conversation resumed 400 s later, past the 5-minute TTL: the 2400-token prompt it
    // continues went cold. Its next turn, 30 s on, is served from cache.
    ...task('resumed', 80, [
      {
        ...claude,
        step: 'chat',
        seconds: 0,
        prefixHashes: [h('8', 1), h('8', 2)],
        prefixTokens: [2000, 2400],
        systemHash: h('8', 9),
      },
      {
        ...claude,
        step: 'chat',
        seconds: 400,
        prefixHashes: [h('8', 1), h('8', 2), h('8', 3), h('8', 4)],
        prefixTokens: [2000, 2400, 2500, 3000],
        systemHash: h('8', 9),
      },
      {
        ...claude,
        step: 'chat',
        seconds: 430,
        cacheRead: 3000,
        prefixHashes: [h('8', 1), h('8', 2), h('8', 3), h('8', 4), h('8', 5), h('8', 6)],
        prefixTokens: [2000, 2400, 2500, 3000, 3100, 3500],
        systemHash: h('8', 9),
      },
    ]),
  ]
}

interface Report {
  totalWastedUsd: number
  hotspots: Array<{
    cause: string
    taskName: string
    step: string
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

describe('cache breakers', { timeout: 180_000 }, () => {
  it('should price only real breaks and the shared prefix, exactly, from the spans and the parts', async () => {
    const expected = [
      // 2 × 2000 missed × $2.70 − 2000 written × $0.75 per million.
      'missed_prompt_cache fanout review unused_cache 2 0.0093',
      // 2700 × $2.70 per million.
      'missed_prompt_cache tools-change agent tools 1 0.00729',
      // 2400 × $2.70 per million.
      'missed_prompt_cache resumed chat ttl 1 0.00648',
      // (2600 − 1500) × $2.70 per million.
      'missed_prompt_cache rewrite chat history 1 0.00297',
      // 2176 × $1.25 per million.
      'missed_prompt_cache system-change agent system 1 0.00272',
    ]
    const rows = (report: Report) =>
      report.hotspots.map(
        (row) =>
          `${row.cause} ${row.taskName} ${row.step} ${row.detail} ${row.occurrences} ${row.wastedUsd}`,
      )
    const fromSpans = await hotspots()
    expect(rows(fromSpans)).toEqual(expected)
    expect(fromSpans.totalWastedUsd).toBe(0.02876)
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const fromParts = await hotspots()
    expect(rows(fromParts)).toEqual(expected)
    expect(fromParts.totalWastedUsd).toBe(0.02876)
  })
})
