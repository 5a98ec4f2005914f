import { deriveHashKey, minhashBands } from '@agentmeter/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hotspotRules } from '../apps/collector/src/store/migrations/0092-hotspot-rules'
import { queryHotspots, type HotspotsResult } from '../apps/collector/src/store/queries/hotspots'
import { planHotspotRange } from '../apps/collector/src/store/queries/hotspots/parts'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { type JsonSpanInput, postSpans } from './support/otlp-json'
import { priceAndReprice } from './support/reprice'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Hotspots from the per-hour parts against the spans alone. Every cause sits across an hour
 * boundary of 2026-11-12 (a duplicate of 01:59 at 02:00, a repeated tool result of 02:59 re-read
 * at 03:01, a loop from 03:58 to 04:00, a missed cache and a breaker from 04:58 to 05:03, a near
 * duplicate from 05:59 to 06:00), so no hour's part is right without its neighbours. The API
 * (parts where current) must equal `queryHotspots` with `useRollups: false`: before any
 * refresh, after it, after the same spans come again in other batches, after a late span, and
 * after a reprice, over the whole range and over one with partial first and last hours.
 */
let collector: TestCollector
let projectId: string
const FROM = '2026-11-12T00:00:00Z'
const TO = '2026-11-12T09:00:00Z'
const RANGES = [
  { from: FROM, to: TO },
  { from: '2026-11-12T01:20:00Z', to: '2026-11-12T05:40:00Z' },
]
const at = (hour: number, minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 12, hour, minute, second))
const key = deriveHashKey({ hashKey: 'rollup-secret' })!
const words = Array.from({ length: 60 }, (_, i) => `part${i % 29}z${i}`)

function workload(): JsonSpanInput[] {
  const gpt = { model: 'gpt-4o', input: 1000, output: 100, temperature: 0 }
  const claude = { provider: 'anthropic', model: 'claude-sonnet-4-5', output: 100 }
  const mini = { model: 'gpt-4o-mini', input: 500, output: 50 }
  const search = (spanId: string, when: Date, result: string) =>
    toolCallSpan({
      taskId: 'b',
      taskName: 'research',
      step: 'search',
      spanId,
      at: when,
      tool: 'web_search',
      argsHash: '00000000000000c2',
      resultHash: result,
      resultTokens: 0,
    })
  return [
    taskRootSpan('a', 'triage', at(1, 59)),
    ...[at(1, 59, 30), at(2, 0, 20)].map((when, i) =>
      llmCallSpan({
        ...gpt,
        taskId: 'a',
        taskName: 'triage',
        step: 'classify',
        spanId: `a00000000000000${i}`,
        at: when,
        requestHash: '00000000000008a1',
        responseHash: '00000000000008b1',
      }),
    ),
    ...[at(2, 58), at(2, 59)].map((when, i) =>
      toolCallSpan({
        taskId: 'a',
        taskName: 'triage',
        step: 'lookup',
        spanId: `a00000000000001${i}`,
        at: when,
        tool: 'read_file',
        argsHash: '00000000000008c1',
        resultHash: '00000000000008d1',
        resultTokens: 400,
      }),
    ),
    llmCallSpan({
      ...gpt,
      taskId: 'a',
      taskName: 'triage',
      step: 'answer',
      spanId: 'a000000000000020',
      at: at(3, 1),
      requestHash: '00000000000008a2',
    }),
    taskRootSpan('e', 'triage', at(2, 39)),
    llmCallSpan({
      ...gpt,
      taskId: 'e',
      taskName: 'triage',
      step: 'classify',
      spanId: 'e000000000000000',
      at: at(2, 40),
      requestHash: '00000000000008a1',
      responseHash: '00000000000008b1',
    }),
    taskRootSpan('b', 'research', at(3, 57)),
    ...[at(3, 58), at(3, 59, 30), at(4, 0, 30)].flatMap((when, i) => [
      llmCallSpan({
        ...mini,
        taskId: 'b',
        taskName: 'research',
        step: 'search',
        spanId: `b00000000000000${i}`,
        at: when,
        requestHash: `00000000000009a${i}`,
      }),
      search(`b00000000000001${i}`, new Date(when.getTime() + 10_000), `00000000000009e${i}`),
    ]),
    taskRootSpan('c', 'report', at(4, 57)),
    llmCallSpan({
      ...claude,
      taskId: 'c',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000000',
      at: at(4, 58),
      input: 3500,
      requestHash: '0000000000000aa1',
      prefixHashes: ['0000000000000ae1', '0000000000000ae2'],
      prefixTokens: [3000, 3500],
      systemHash: '0000000000000af1',
    }),
    llmCallSpan({
      ...claude,
      taskId: 'c',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000001',
      at: at(5, 1),
      input: 4000,
      requestHash: '0000000000000aa2',
      prefixHashes: ['0000000000000ae1', '0000000000000ae2', '0000000000000ae3'],
      prefixTokens: [3000, 3500, 4000],
      systemHash: '0000000000000af1',
    }),
    llmCallSpan({
      ...claude,
      taskId: 'c',
      taskName: 'report',
      step: 'write',
      spanId: 'c000000000000002',
      at: at(5, 3),
      input: 4200,
      requestHash: '0000000000000aa3',
      // The next turn, with the system prompt changed: a breaker of the 4000-token prompt.
      prefixHashes: [
        '0000000000000ae7',
        '0000000000000ae8',
        '0000000000000ae9',
        '0000000000000aea',
      ],
      prefixTokens: [3000, 3500, 4000, 4200],
      systemHash: '0000000000000af2',
    }),
    taskRootSpan('d', 'triage', at(5, 58)),
    ...[words.join(' '), [...words.slice(0, 30), 'edit', ...words.slice(31)].join(' ')].map(
      (text, i) =>
        llmCallSpan({
          ...gpt,
          taskId: 'd',
          taskName: 'triage',
          step: 'summarize',
          spanId: `d00000000000000${i}`,
          at: i === 0 ? at(5, 59) : at(6, 0, 30),
          requestHash: `0000000000000ba${i}`,
          responseHash: '0000000000000bb1',
          minhash: minhashBands(key, text),
        }),
    ),
    // Unpriced until the reprice: an exact duplicate nobody can price yet.
    taskRootSpan('f', 'audit', at(7, 0)),
    ...[at(7, 1), at(7, 2)].map((when, i) =>
      llmCallSpan({
        taskId: 'f',
        taskName: 'audit',
        step: 'check',
        spanId: `f00000000000000${i}`,
        at: when,
        model: 'not-a-known-model-y',
        input: 1000,
        output: 100,
        requestHash: '0000000000000ca1',
        responseHash: '0000000000000cb1',
        temperature: 0,
      }),
    ),
  ]
}

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

/** Example lists in a stable order: which examples a hotspot shows first is not ordered. */
function normalized(result: HotspotsResult): HotspotsResult {
  return {
    ...result,
    hotspots: result.hotspots.map((hotspot) => ({
      ...hotspot,
      exampleTaskIds: [...hotspot.exampleTaskIds].sort(),
      exampleSpanIds: [...hotspot.exampleSpanIds].sort(),
      examples: [...hotspot.examples].sort((a, b) => a.spanId.localeCompare(b.spanId)),
    })),
  }
}

/** Every range through the API and from the spans alone; returns the spans-only answers. */
async function expectSameAnswers(): Promise<HotspotsResult[]> {
  const references: HotspotsResult[] = []
  for (const { from, to } of RANGES) {
    const reference = await queryHotspots(collector.client, {
      projectId,
      range: parseTimeRange(from, to),
      useRollups: false,
    })
    const { status, body } = await collector.api<HotspotsResult>(
      `/api/v1/hotspots?from=${from}&to=${to}`,
    )
    expect(status).toBe(200)
    expect(normalized(body)).toEqual(normalized(reference))
    references.push(reference)
  }
  return references
}

async function currentHours(): Promise<number> {
  const plan = await planHotspotRange(collector.client, projectId, parseTimeRange(FROM, TO))
  return plan.freshHours.length
}

async function refresh(): Promise<void> {
  await collector.rollups.refreshNow({ settleMillis: 0 })
}

function causes(result: HotspotsResult) {
  return result.hotspots
    .map(
      (hotspot) => `${hotspot.cause}/${hotspot.taskName}/${hotspot.detail}/${hotspot.occurrences}`,
    )
    .sort()
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await post(workload())
}, 60_000)

afterAll(async () => {
  await collector?.close()
})

describe('hotspot parts', () => {
  it('should find every cause across the hour boundaries from the spans alone', async () => {
    expect(await currentHours()).toBe(0)
    const [whole] = await expectSameAnswers()
    expect(causes(whole!)).toEqual([
      'duplicate_llm_call/triage/deterministic/2',
      'loop/research/same_step_same_args/2',
      'missed_prompt_cache/report/system/1',
      'missed_prompt_cache/report/unused_cache/1',
      'near_duplicate_prompt/triage/same_answer/1',
      'repeated_tool_call/triage/same_result/1',
    ])
    // Two gpt-4o duplicates at 1000 in / 100 out ($2.50 / $10 per million) = 2 × $0.0035.
    const duplicate = whole!.hotspots.find((hotspot) => hotspot.cause === 'duplicate_llm_call')
    expect(duplicate!.wastedUsd).toBeCloseTo(0.007, 9)
    // 400 result tokens re-read at 03:01 by one gpt-4o call: 400 × $2.50 per million.
    const tool = whole!.hotspots.find((hotspot) => hotspot.cause === 'repeated_tool_call')
    expect(tool!.wastedUsd).toBeCloseTo(0.001, 9)
  })

  it('should give the same hotspots from the parts once refreshed', async () => {
    await refresh()
    // Hours 01 to 07 have spans, all whole inside the range.
    expect(await currentHours()).toBe(7)
    await expectSameAnswers()
  })

  it('should count spans delivered again once, before and after the refresh', async () => {
    const spans = workload()
    await post(spans.slice(12))
    await post(spans.slice(0, 12))
    expect(await currentHours()).toBe(0)
    const before = await expectSameAnswers()
    await refresh()
    expect(await currentHours()).toBe(7)
    expect((await expectSameAnswers()).map(normalized)).toEqual(before.map(normalized))
  })

  it('should take a late span into its hour and its neighbours', async () => {
    const [before] = await expectSameAnswers()
    await post([
      llmCallSpan({
        taskId: 'a',
        taskName: 'triage',
        step: 'classify',
        spanId: 'a000000000000030',
        at: at(3, 30),
        model: 'gpt-4o',
        input: 1000,
        output: 100,
        temperature: 0,
        requestHash: '00000000000008a1',
        responseHash: '00000000000008b1',
      }),
    ])
    // Hours 01 to 05 depend on hour 03 (two hours each side); 06 and 07 do not.
    expect(await currentHours()).toBe(2)
    const [after] = await expectSameAnswers()
    const duplicates = (result: HotspotsResult) =>
      result.hotspots.find((hotspot) => hotspot.cause === 'duplicate_llm_call')!.occurrences
    expect(duplicates(after!)).toBe(duplicates(before!) + 1)
    await refresh()
    expect(await currentHours()).toBe(7)
    await expectSameAnswers()
  })

  it('should carry a reprice into the parts', async () => {
    expect(
      await priceAndReprice(collector, 'not-a-known-model-y', { from: FROM, to: TO }),
    ).toMatchObject({ changed: 2 })
    const [whole] = await expectSameAnswers()
    // The duplicate of the now-priced model: 1000 × $1 + 100 × $2 per million.
    const audit = whole!.hotspots.find((hotspot) => hotspot.taskName === 'audit')
    expect(audit).toMatchObject({ cause: 'duplicate_llm_call', occurrences: 1 })
    expect(audit!.wastedUsd).toBeCloseTo(0.0012, 9)
    await refresh()
    expect(await currentHours()).toBe(7)
    await expectSameAnswers()
  })
  it('should compute again the parts of other detector rules, and never show them', async () => {
    await refresh()
    expect(await currentHours()).toBe(7)
    // A store upgraded from a build before the rule version: every hour stamped current by the
    // old rules (no version), with a verdict of the old cache-breaker rule among its parts.
    await collector.client.command({
      query: `INSERT INTO hotspot_parts (project_id, hour, refresh_id, cause, task_name, step,
          provider, model, tool, detail, day, is_cache, occurrences, wasted, missed_tokens,
          write_tokens, example_tasks, example_spans, example_span_tasks)
        SELECT project_id, hour, max(refresh_id) + 1, 'missed_prompt_cache', 'report', 'write',
          'anthropic', 'claude-sonnet-4-5', '', 'history', toDate(hour), true, 1, 0, 1000, 0,
          [], [], []
        FROM hotspot_hours GROUP BY project_id, hour`,
    })
    await collector.client.command({
      query: `INSERT INTO hotspot_hours (project_id, hour, refresh_id, delivered, spend)
        SELECT project_id, hour, max(refresh_id) + 1, argMax(delivered, refresh_id),
          argMax(spend, refresh_id)
        FROM hotspot_hours GROUP BY project_id, hour`,
    })
    expect(await currentHours()).toBe(0)
    const [whole] = await expectSameAnswers()
    expect(causes(whole!).filter((cause) => cause.includes('/history/'))).toEqual([])
    await refresh()
    expect(await currentHours()).toBe(7)
    await expectSameAnswers()
    // The migration again (a second start, another collector): nothing to recompute.
    for (const query of hotspotRules.statements) await collector.client.command({ query })
    expect(await currentHours()).toBe(7)
  })
})
