import { describe, expect, it } from 'vitest'
import { createTestSpan, createTestTask } from '../test-support/builders'
import { prepareTaskDetail } from './task-detail'

const NO_TOKENS = {
  input: '—',
  output: '—',
  cacheRead: '—',
  cacheWrite: '—',
  reasoning: '—',
}

const task = createTestTask({
  costUsd: 0.000255,
  unpricedCalls: 1,
  inputTokens: 1000,
  outputTokens: 200,
})

const root = createTestSpan({
  spanId: 'root',
  parentSpanId: null,
  kind: 'task',
  name: 'triage',
  step: null,
  provider: null,
  model: null,
  usage: null,
  costUsd: null,
  priced: false,
  startTime: '2025-01-31T10:00:00.000Z',
  endTime: '2025-01-31T10:00:02.000Z',
  status: 'unset',
})
const llm = createTestSpan({ spanId: 'llm' })
const tool = createTestSpan({
  spanId: 'tool',
  kind: 'tool',
  name: 'search',
  step: 'lookup',
  provider: null,
  model: null,
  usage: null,
  costUsd: null,
  priced: false,
  startTime: '2025-01-31T10:00:01.000Z',
  endTime: '2025-01-31T10:00:02.000Z',
  status: 'error',
  statusMessage: 'search timed out',
  priceReason: 'tool without a price',
})

describe('prepareTaskDetail', () => {
  it('should prepare the header totals and one row per span in tree order', () => {
    expect(prepareTaskDetail({ task, spans: [tool, llm, root] }, { timeZone: 'UTC' })).toEqual({
      header: {
        taskId: 'task-1',
        name: 'triage',
        start: '2025-01-31 10:00:00',
        duration: '2.0 s',
        cost: '$0.000255',
        unpriced: '1 unpriced',
        llmCalls: '2',
        toolCalls: '1',
        tokens: {
          input: '1,000',
          output: '200',
          cacheRead: '400',
          cacheWrite: '0',
          reasoning: '50',
        },
        tokensWithoutUsage: null,
        outcome: { text: 'success', tone: 'success' },
        score: null,
        spans: '3',
        errors: '1 error',
      },
      spans: [
        {
          spanId: 'root',
          depth: 0,
          orphan: false,
          kind: 'task',
          name: 'triage',
          step: '—',
          model: '—',
          tokens: NO_TOKENS,
          cost: '—',
          costNote: null,
          duration: '2.0 s',
          status: {
            label: 'OK',
            tone: 'ok',
            message: null,
            title: 'no error reported',
          },
          isError: false,
          offset: 0,
          width: 1,
          timing: 'starts at +0 ms, lasts 2.0 s',
        },
        {
          spanId: 'llm',
          depth: 1,
          orphan: false,
          kind: 'llm',
          name: 'chat gpt-4o-mini',
          step: 'classify',
          model: 'gpt-4o-mini',
          tokens: {
            input: '1,000',
            output: '200',
            cacheRead: '400',
            cacheWrite: '0',
            reasoning: '50',
          },
          cost: '$0.000255',
          costNote: null,
          duration: '1.0 s',
          status: {
            label: 'OK',
            tone: 'ok',
            message: null,
            title: 'no error (status set to OK)',
          },
          isError: false,
          offset: 0,
          width: 0.5,
          timing: 'starts at +0 ms, lasts 1.0 s',
        },
        {
          spanId: 'tool',
          depth: 1,
          orphan: false,
          kind: 'tool',
          name: 'search',
          step: 'lookup',
          model: '—',
          tokens: NO_TOKENS,
          cost: '—',
          costNote: 'tool without a price',
          duration: '1.0 s',
          status: {
            label: 'Error',
            tone: 'error',
            message: 'search timed out',
            title: 'failed: search timed out',
          },
          isError: true,
          offset: 0.5,
          width: 0.5,
          timing: 'starts at +1.0 s, lasts 1.0 s; failed: search timed out',
        },
      ],
      timeline: '2.0 s',
      isEmpty: false,
    })
  })

  it('should write a priced free span as $0.00 and a priced span without amount as unpriced', () => {
    const free = createTestSpan({ spanId: 'free', costUsd: 0, priced: true })
    const odd = createTestSpan({ spanId: 'odd', costUsd: null, priced: true })
    const model = prepareTaskDetail({ task, spans: [free, odd] })
    expect(model.spans.map((row) => [row.spanId, row.cost])).toEqual([
      ['free', '$0.00'],
      ['odd', 'unpriced'],
    ])
  })

  it('does leave the cache and reasoning totals unknown when no span reported usage', () => {
    const model = prepareTaskDetail({ task: createTestTask({ costUsd: null }), spans: [root] })
    expect({
      tokens: model.header.tokens,
      cost: model.header.cost,
      errors: model.header.errors,
    }).toEqual({
      tokens: {
        input: '1,200',
        output: '300',
        cacheRead: 'unknown',
        cacheWrite: 'unknown',
        reasoning: 'unknown',
      },
      cost: 'unpriced',
      errors: null,
    })
  })

  it('does show unknown usage and unpriced cost for a model call that reported no usage', () => {
    const silent = createTestSpan({ spanId: 'silent', usage: null, costUsd: null, priced: false })
    const [row] = prepareTaskDetail({ task, spans: [silent] }).spans
    expect([row!.tokens.input, row!.tokens.reasoning, row!.cost]).toEqual([
      'unknown',
      'unknown',
      'unpriced',
    ])
  })

  it('should say how many calls the token sums leave out, and unknown when all of them', () => {
    const silent = createTestSpan({ spanId: 'silent', usage: null, costUsd: null, priced: false })
    // One call with usage (1,000 in / 200 out), one without.
    const some = prepareTaskDetail({
      task: { ...task, llmCalls: 2, callsWithoutUsage: 1 },
      spans: [llm, silent],
    }).header
    expect([some.tokens.input, some.tokens.output, some.tokensWithoutUsage]).toEqual([
      '1,000',
      '200',
      '+ 1 call without usage',
    ])
    // Neither call reported usage: the sums' zeros are unknown, not 0.
    const none = prepareTaskDetail({
      task: { ...task, inputTokens: 0, outputTokens: 0, llmCalls: 2, callsWithoutUsage: 2 },
      spans: [silent, { ...silent, spanId: 'silent-2' }],
    }).header
    expect([none.tokens.input, none.tokens.output, none.tokensWithoutUsage]).toEqual([
      'unknown',
      'unknown',
      '+ 2 calls without usage',
    ])
  })

  it('should mark a task without spans as empty', () => {
    const model = prepareTaskDetail({ task, spans: [] })
    expect({ spans: model.spans, timeline: model.timeline, isEmpty: model.isEmpty }).toEqual({
      spans: [],
      timeline: '0 ms',
      isEmpty: true,
    })
  })

  it('should write the task and span costs exactly, every digit, so the spans add up', () => {
    const exact = createTestTask({ costUsd: 0.02847525, unpricedCalls: 0 })
    const first = createTestSpan({ spanId: 'a', costUsd: 0.02840025 })
    const second = createTestSpan({ spanId: 'b', costUsd: 0.000075 })
    const model = prepareTaskDetail({ task: exact, spans: [first, second] })
    expect([model.header.cost, ...model.spans.map((row) => row.cost)]).toEqual([
      '$0.02847525',
      '$0.02840025',
      '$0.000075',
    ])
  })

  it('should show the recorded score, and set one outside 0 to 1 apart', () => {
    const scored = (score: number | null) =>
      prepareTaskDetail({ task: createTestTask({ score }), spans: [] }).header.score
    expect([scored(0.82), scored(1), scored(0.12345), scored(null), scored(1.5)]).toEqual([
      { text: '0.82', note: null },
      { text: '1', note: null },
      { text: '0.123', note: null },
      null,
      { text: '1.5', note: 'outside 0 to 1, so the recommendations leave it out' },
    ])
  })

  it('should read an error without a message as a failure all the same', () => {
    const failed = createTestSpan({ spanId: 'f', status: 'error', statusMessage: null })
    const [row] = prepareTaskDetail({ task, spans: [failed] }).spans
    expect([row!.status, row!.isError]).toEqual([
      { label: 'Error', tone: 'error', message: null, title: 'failed (no error message)' },
      true,
    ])
  })

  it('should not repeat the word Error that a recorded exception puts before its message', () => {
    const thrown = (statusMessage: string) =>
      prepareTaskDetail({
        task,
        spans: [createTestSpan({ spanId: 't', status: 'error', statusMessage })],
      }).spans[0]!.status.message
    expect([
      thrown('Error: a.png is a binary file'),
      thrown('TypeError: x'),
      thrown('Error: '),
    ]).toEqual(['a.png is a binary file', 'TypeError: x', null])
  })
})
