import Anthropic from '@anthropic-ai/sdk'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { step } from '../step'
import { task } from '../task'
import { setupTestTracing } from '../test-support/setup-test-tracing'
import { configureShadow, shadowStats, type ShadowResult, type ShadowStats } from './options'
import { settleShadowCalls } from './run-shadow'

const tracing = setupTestTracing()
let replay: ReplayServer
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  replay = await startReplayServer()
  openai = new OpenAI({ apiKey: 'sk-replay', baseURL: replay.openaiBaseURL, maxRetries: 0 })
  anthropic = new Anthropic({
    apiKey: 'sk-replay',
    baseURL: replay.anthropicBaseURL,
    maxRetries: 0,
  })
})
afterAll(async () => {
  await replay.close()
  await tracing.shutdown()
})
beforeEach(() => tracing.reset())
afterEach(() => configureShadow(undefined))

const messages = [{ role: 'user' as const, content: 'Classify ticket CUST-1001: refund please' }]

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of stream) items.push(item)
  return items
}

/** One call of each client API the shadow mode supports, returning what the app sees. */
const CALLS: Record<string, { primary: string; candidate: string; run: () => Promise<unknown> }> = {
  'openai chat': {
    primary: 'gpt-4o',
    candidate: 'gpt-4o-mini',
    run: () => openai.chat.completions.create({ model: 'gpt-4o', messages }),
  },
  'openai chat stream': {
    primary: 'gpt-4o',
    candidate: 'gpt-4o-mini',
    run: async () =>
      readAll(
        await openai.chat.completions.create({
          model: 'gpt-4o',
          messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
      ),
  },
  'openai responses': {
    primary: 'gpt-4.1',
    candidate: 'gpt-4.1-mini',
    run: () => openai.responses.create({ model: 'gpt-4.1', input: messages[0]!.content }),
  },
  'openai responses stream': {
    primary: 'gpt-4.1',
    candidate: 'gpt-4.1-mini',
    run: async () =>
      readAll(
        await openai.responses.create({
          model: 'gpt-4.1',
          input: messages[0]!.content,
          stream: true,
        }),
      ),
  },
  'anthropic messages': {
    primary: 'claude-sonnet-4-5',
    candidate: 'claude-haiku-4-5',
    run: () => anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages }),
  },
  'anthropic messages stream': {
    primary: 'claude-sonnet-4-5',
    candidate: 'claude-haiku-4-5',
    run: async () =>
      readAll(
        await anthropic.messages.create({
          model: 'claude-sonnet-4-5',
          max_tokens: 256,
          messages,
          stream: true,
        }),
      ),
  },
  'anthropic messages.stream() helper': {
    primary: 'claude-sonnet-4-5',
    candidate: 'claude-haiku-4-5',
    run: () =>
      anthropic.messages
        .stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages })
        .finalMessage(),
  },
  'openai chat.completions.stream() helper': {
    primary: 'gpt-4o',
    candidate: 'gpt-4o-mini',
    run: () =>
      openai.chat.completions
        .stream({ model: 'gpt-4o', messages, stream_options: { include_usage: true } })
        .finalChatCompletion(),
  },
}

/** Runs `fn` as step `classify` of a `triage` task. */
function inStep<T>(fn: () => Promise<T>): Promise<T> {
  return task('triage', () => step('classify', fn))
}

function llmSpans(): ReadableSpan[] {
  return tracing.spansOfKind('llm')
}

function delta(before: ShadowStats): ShadowStats {
  const after = shadowStats()
  const keys = Object.keys(after) as Array<keyof ShadowStats>
  return Object.fromEntries(
    keys.map((key) => [key, after[key] - before[key]]),
  ) as unknown as ShadowStats
}

/** A seeded uniform generator (mulberry32), so the share test draws the same numbers each run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('shadow mode', () => {
  for (const [name, call] of Object.entries(CALLS)) {
    it(`should give the app the same ${name} result and record one exact shadow span`, async () => {
      const without = await inStep(call.run)
      expect(llmSpans()).toHaveLength(1)
      tracing.reset()

      configureShadow({ rules: [{ step: 'classify', model: call.candidate, share: 1 }] })
      const sent = replay.requests.length
      const before = shadowStats()
      const withShadow = await inStep(call.run)
      // The copy goes out only after the app has its whole answer.
      expect(replay.requests.length - sent).toBe(1)
      await settleShadowCalls()

      expect(withShadow).toEqual(without)
      expect(delta(before)).toEqual({
        eligible: 1,
        sampled: 1,
        dropped: 0,
        completed: 1,
        failed: 0,
        compareFailed: 0,
      })
      const [primaryRequest, shadowRequest] = replay.requests.slice(sent)
      const {
        stream: _s,
        stream_options: _o,
        ...unstreamed
      } = primaryRequest!.body as Record<string, unknown>
      // The Responses API stores by default; a copy stores nothing.
      const store = name.startsWith('openai responses') ? { store: false } : {}
      expect(shadowRequest!.body).toEqual({ ...unstreamed, model: call.candidate, ...store })

      // One task, one step, the primary and its copy: no span of the client's own.
      expect(tracing.spans().map((span) => span.attributes['agentmeter.span.kind'])).toEqual([
        'llm',
        'agent',
        'task',
        'llm',
      ])
      const [primary, shadow] = llmSpans()
      expect(primary!.attributes['gen_ai.request.model']).toBe(call.primary)
      expect(primary!.attributes['agentmeter.shadow.propensity']).toBe(1)
      expect(primary!.attributes['agentmeter.shadow']).toBeUndefined()
      expect(shadow!.parentSpanContext?.spanId).toBe(primary!.parentSpanContext?.spanId)
      expect(shadow!.attributes).toMatchObject({
        'agentmeter.shadow': true,
        'agentmeter.shadow.primary_span_id': primary!.spanContext().spanId,
        'agentmeter.shadow.propensity': 1,
        'agentmeter.task.name': 'triage',
        'agentmeter.step.name': 'classify',
        'gen_ai.request.model': call.candidate,
        'gen_ai.request.stream': false,
        'agentmeter.call.end_reason': 'completed',
        // Same prompt, so the replay provider counts the same input.
        'gen_ai.usage.input_tokens': primary!.attributes['gen_ai.usage.input_tokens'],
      })
      expect(shadow!.attributes['gen_ai.response.model']).toBe(call.candidate)
      expect(Object.keys(shadow!.attributes).filter((key) => key.includes('hash'))).toEqual([])
      expect(shadow!.attributes['agentmeter.shadow.score']).toBeUndefined()
    })
  }

  it('should copy no call in a Responses conversation, and store no chat copy', async () => {
    configureShadow({ rules: [{ step: 'classify', model: 'gpt-4.1-mini', share: 1 }] })
    const before = shadowStats()
    const sent = replay.requests.length
    await inStep(() =>
      openai.responses.create({ model: 'gpt-4.1', input: 'Hi', conversation: 'conv_1' }),
    )
    await inStep(() => openai.chat.completions.create({ model: 'gpt-4o', messages, store: true }))
    await settleShadowCalls()

    expect(delta(before)).toMatchObject({ sampled: 2, dropped: 1, completed: 1 })
    const bodies = replay.requests.slice(sent).map((request) => request.body as { store?: boolean })
    expect(bodies.map((body) => body.store)).toEqual([undefined, true, false])
  })

  it('should copy the seeded share of calls, each span carrying that propensity', async () => {
    const share = 0.25
    const draws = seeded(20261204)
    configureShadow({ rules: [{ step: 'classify', model: 'gpt-4o-mini', share }], random: draws })
    const expected = seeded(20261204)
    let expectedSampled = 0
    const calls = 200
    for (let i = 0; i < calls; i++) if (expected() < share) expectedSampled++
    // The seed's count is also a plausible binomial draw: within 3 sd of 50 (sd = 6.1).
    expect(Math.abs(expectedSampled - calls * share)).toBeLessThan(3 * Math.sqrt(calls * 0.1875))

    const before = shadowStats()
    await inStep(async () => {
      for (let i = 0; i < calls; i++) {
        await openai.chat.completions.create({ model: 'gpt-4o', messages })
      }
    })
    await settleShadowCalls()

    expect(delta(before)).toMatchObject({ eligible: calls, sampled: expectedSampled, failed: 0 })
    const spans = llmSpans()
    const shadows = spans.filter((span) => span.attributes['agentmeter.shadow'] === true)
    expect(shadows).toHaveLength(expectedSampled)
    expect(spans).toHaveLength(calls + expectedSampled)
    expect(new Set(spans.map((span) => span.attributes['agentmeter.shadow.propensity']))).toEqual(
      new Set([share]),
    )
  })

  it('should leave calls of other steps, tasks, current models and the candidate alone', async () => {
    configureShadow({
      rules: [{ step: 'classify', taskName: 'triage', model: 'gpt-4o', share: 1 }],
    })
    const before = shadowStats()
    await task('triage', () =>
      step('draft', () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages })),
    )
    await task('report', () =>
      step('classify', () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages })),
    )
    await inStep(() => openai.chat.completions.create({ model: 'gpt-4o', messages }))
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    configureShadow({
      rules: [{ step: 'classify', currentModel: 'gpt-4.1', model: 'gpt-4o-mini', share: 1 }],
    })
    await inStep(() => openai.chat.completions.create({ model: 'gpt-4o', messages }))
    await settleShadowCalls()

    expect(delta(before)).toMatchObject({ eligible: 0, sampled: 0 })
    expect(llmSpans().map((span) => span.attributes['agentmeter.shadow.propensity'])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ])
  })

  it('should record the compare verdict with both results, primary streamed', async () => {
    const seen: Array<[ShadowResult, ShadowResult]> = []
    configureShadow({
      rules: [
        {
          step: 'classify',
          model: 'gpt-4o-mini',
          share: 1,
          compare: (primary, shadow) => {
            seen.push([primary, shadow])
            return 0.5
          },
        },
      ],
    })
    const chunks = (await inStep(CALLS['openai chat stream']!.run)) as Array<{
      choices: Array<{ delta: { content?: string } }>
    }>
    await settleShadowCalls()

    const appText = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(appText.length).toBeGreaterThan(0)
    const [primary, shadow] = seen[0]!
    expect(primary.text).toBe(appText)
    expect(primary.response).toBeUndefined()
    expect(primary.finishReasons).toEqual(['stop'])
    expect(shadow.model).toBe('gpt-4o-mini')
    const shadowBody = shadow.response as { choices: Array<{ message: { content: string } }> }
    expect(shadow.text).toBe(shadowBody.choices[0]!.message.content)
    const shadowSpan = llmSpans()[1]!
    expect(shadowSpan.attributes['agentmeter.shadow.score']).toBe(0.5)
    expect(shadowSpan.attributes['agentmeter.shadow.match']).toBeUndefined()
    // Content was read for compare only: it is not on the spans.
    expect(Object.keys(shadowSpan.attributes).filter((key) => key.includes('messages'))).toEqual([])
  })

  it('should record a boolean verdict as match, given the whole primary response', async () => {
    let primaryId: unknown
    configureShadow({
      rules: [
        {
          step: 'classify',
          model: 'claude-haiku-4-5',
          share: 1,
          compare: (primary, shadow) => {
            primaryId = (primary.response as { id: string }).id
            return primary.text === shadow.text
          },
        },
      ],
    })
    const message = (await inStep(CALLS['anthropic messages']!.run)) as { id: string }
    await settleShadowCalls()

    expect(primaryId).toBe(message.id)
    // The replay provider's text depends on the model, so the two answers differ.
    expect(llmSpans()[1]!.attributes['agentmeter.shadow.match']).toBe(false)
  })

  it('should keep shadow failures from the app and count them', async () => {
    configureShadow({ rules: [{ step: 'classify', model: 'gpt-4o-mini', share: 1 }] })
    const expected = await inStep(CALLS['openai chat']!.run)
    await settleShadowCalls()
    tracing.reset()

    const before = shadowStats()
    const result = await inStep(CALLS['openai chat']!.run)
    // Queued after the primary answered, so the shadow call (not yet sent) gets the 500.
    replay.enqueue('openai-chat-basic.json', { status: 500 })
    await settleShadowCalls()

    expect(result).toEqual(expected)
    expect(delta(before)).toMatchObject({ sampled: 1, completed: 0, failed: 1 })
    const [primary, shadow] = llmSpans()
    expect(primary!.status).toEqual({ code: 0 })
    expect(shadow!.attributes['agentmeter.shadow']).toBe(true)
    expect(shadow!.attributes['agentmeter.call.end_reason']).toBe('error')
    expect(shadow!.status.code).toBe(2)
  })

  it('should swallow a throwing compare and a broken shadow stream', async () => {
    configureShadow({
      rules: [
        {
          step: 'classify',
          model: 'claude-haiku-4-5',
          share: 1,
          compare: () => {
            throw new Error('judge down')
          },
        },
      ],
    })
    const before = shadowStats()
    await inStep(CALLS['anthropic messages stream']!.run)
    await settleShadowCalls()
    expect(delta(before)).toMatchObject({ completed: 1, compareFailed: 1, failed: 0 })
    expect(llmSpans()[1]!.attributes['agentmeter.shadow.score']).toBeUndefined()

    const broken = shadowStats()
    await inStep(CALLS['anthropic messages']!.run)
    replay.enqueue('anthropic-messages-basic.json', { destroyAfterBytes: 40 })
    await settleShadowCalls()
    expect(delta(broken)).toMatchObject({ completed: 0, failed: 1 })
  })

  it('should drop copies beyond the concurrency limit and copy no failed primary', async () => {
    configureShadow({
      rules: [{ step: 'classify', model: 'gpt-4o-mini', share: 1 }],
      maxConcurrent: 0,
    })
    const before = shadowStats()
    const sent = replay.requests.length
    await inStep(CALLS['openai chat']!.run)
    await settleShadowCalls()
    expect(delta(before)).toMatchObject({ sampled: 1, dropped: 1, completed: 0 })
    expect(replay.requests.length - sent).toBe(1)

    configureShadow({ rules: [{ step: 'classify', model: 'gpt-4o-mini', share: 1 }] })
    const failing = shadowStats()
    replay.enqueue('openai-chat-basic.json', { status: 400 })
    await expect(inStep(CALLS['openai chat']!.run)).rejects.toThrow()
    await settleShadowCalls()
    expect(delta(failing)).toMatchObject({ sampled: 1, dropped: 1, completed: 0, failed: 0 })
  })
})

describe('settleShadowCalls', () => {
  it('should stop waiting at its timeout while a copy is still in flight', async () => {
    configureShadow({ rules: [{ step: 'classify', model: 'gpt-4o-mini', share: 1 }] })
    await inStep(CALLS['openai chat']!.run)
    // The copy's response arrives in four paced writes; 1 ms is too short for it.
    replay.enqueue('openai-chat-stream-include-usage.sse')
    const before = shadowStats()
    const started = Date.now()
    await settleShadowCalls(1)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(delta(before).completed).toBe(0)
    await settleShadowCalls()
    expect(delta(before).completed + delta(before).failed).toBe(1)
  })
})
