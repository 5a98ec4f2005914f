import { performance } from 'node:perf_hooks'
import { deriveHashKey, fingerprintRequest } from '@agentmeter/core'
import type { Attributes } from '@opentelemetry/api'
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base'
import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSdk } from '../init'
import { addLateAttributes, setDeferLateAttributes } from '../llm/late-attributes'
import { instrumentOpenAI } from '../openai/instrument'
import { getTracer, setHashKey } from '../state'
import { startTestProvider, type TestProvider } from '../test-support/provider-server'
import { BoundedBatchSpanProcessor } from './bounded-batch-processor'
import { completeSpans, SLICE_MILLIS } from './complete-spans'

// With our batch processor exporting (what `init()` sets up), an LLM span's fingerprints and
// informational cost are computed just before export, off the call path. What is exported must
// be exactly what the span gets when they are computed at once, before the span ends.

const key = deriveHashKey({ hashKey: 'late-attributes-test' })!
const exporter = new InMemorySpanExporter()
const processor = new BoundedBatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })
const handle = startSdk('late-attributes-test', false, [processor], false)
let provider: TestProvider
let client: OpenAI

beforeAll(async () => {
  setHashKey(key)
  provider = await startTestProvider()
  client = instrumentOpenAI(
    new OpenAI({ apiKey: 'test-key', baseURL: `${provider.url}/v1`, maxRetries: 0 }),
  )
})
afterAll(async () => {
  setDeferLateAttributes(false)
  await provider.close()
  await handle.shutdown()
})

/** One agent turn; the app appends the answer to its own list afterwards, as agent loops do. */
async function turn(messages: ChatCompletionMessageParam[]): Promise<ReadableSpan> {
  provider.serve('openai-chat-basic.json')
  exporter.reset()
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    temperature: 0,
    messages,
  })
  messages.push(completion.choices[0]!.message)
  await processor.forceFlush()
  const [span] = exporter.getFinishedSpans()
  return span!
}

/** Everything but what differs from one span to the next by nature (ids, times). */
function comparable(span: ReadableSpan) {
  return { name: span.name, attributes: { ...span.attributes } }
}

describe('late attributes', () => {
  it('should export the same attributes whether computed before export or before the end', async () => {
    const system = { role: 'system' as const, content: 'You answer geography questions.' }
    const question = { role: 'user' as const, content: 'Which ocean is the largest?' }

    setDeferLateAttributes(false)
    const atOnce = await turn([system, question])
    setDeferLateAttributes(true)
    const history: ChatCompletionMessageParam[] = [system, question]
    const late = await turn(history)

    expect(history).toHaveLength(3)
    expect(comparable(late)).toEqual(comparable(atOnce))
    // The request as sent, two messages, not the list the app grew after the call.
    const expected = fingerprintRequest(key, {
      model: 'gpt-4o-mini',
      params: { temperature: 0 },
      messages: [system, question],
    })
    expect(late.attributes['agentmeter.request.hash']).toBe(expected.requestHash)
    expect(late.attributes['agentmeter.prompt.prefix_hashes']).toEqual(expected.prefixHashes)
    expect(late.attributes['agentmeter.prompt.system_hash']).toBe(expected.systemHash)
    // openai-chat-basic.json: 22 input and 3 output tokens of gpt-4o-mini.
    expect(late.attributes['agentmeter.prompt.prefix_tokens']).toEqual([
      Math.round((expected.prefixTokenEstimates[0]! * 22) / expected.prefixTokenEstimates[1]!),
      22,
    ])
    expect(late.attributes['agentmeter.cost.usd']).toBeCloseTo(22 * 0.15e-6 + 3 * 0.6e-6, 12)
    expect(late.attributes['agentmeter.response.hash']).toMatch(/^[0-9a-f]{16}$/)
  })

  it("should read a stream's response at export, and export what it gives at once", async () => {
    async function streamTurn(): Promise<{ atEnd: Attributes; exported: ReadableSpan }> {
      provider.serve('openai-chat-stream-include-usage.sse')
      exporter.reset()
      let atEnd: Attributes = {}
      const onEnd = processor.onEnd.bind(processor)
      processor.onEnd = (span) => {
        atEnd = { ...span.attributes }
        onEnd(span)
      }
      try {
        const stream = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Which ocean?' }],
          stream: true,
          stream_options: { include_usage: true },
        })
        for await (const _chunk of stream) {
          // Read to the end, as an app does.
        }
      } finally {
        processor.onEnd = onEnd
      }
      await processor.forceFlush()
      return { atEnd, exported: exporter.getFinishedSpans()[0]! }
    }

    setDeferLateAttributes(false)
    const atOnce = await streamTurn()
    setDeferLateAttributes(true)
    const late = await streamTurn()

    expect(comparable(late.exported)).toEqual(comparable(atOnce.exported))
    expect(late.exported.attributes).toMatchObject({
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 22,
      'gen_ai.usage.output_tokens': 4,
      'agentmeter.call.end_reason': 'completed',
    })
    expect(late.exported.attributes['agentmeter.response.hash']).toMatch(/^[0-9a-f]{16}$/)
    // When the stream ends, the span says how; what the chunks said is read at export.
    expect(atOnce.atEnd['gen_ai.usage.input_tokens']).toBe(22)
    expect(late.atEnd['agentmeter.call.end_reason']).toBe('completed')
    expect(late.atEnd['gen_ai.usage.input_tokens']).toBeUndefined()
    expect(late.atEnd['gen_ai.response.model']).toBeUndefined()
  })

  it('should leave the work to export while the span waits in the queue', async () => {
    setDeferLateAttributes(true)
    provider.serve('openai-chat-basic.json')
    exporter.reset()
    const spans: ReadableSpan[] = []
    const onEnd = processor.onEnd.bind(processor)
    processor.onEnd = (span) => {
      spans.push(span)
      onEnd(span)
    }
    try {
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Which ocean is the largest?' }],
      })
    } finally {
      processor.onEnd = onEnd
    }
    expect(spans).toHaveLength(1)
    expect(spans[0]!.attributes['gen_ai.usage.input_tokens']).toBe(22)
    expect(spans[0]!.attributes['agentmeter.request.hash']).toBeUndefined()
    expect(spans[0]!.attributes['agentmeter.cost.usd']).toBeUndefined()
    await processor.forceFlush()
    expect(exporter.getFinishedSpans()[0]!.attributes['agentmeter.request.hash']).toMatch(
      /^[0-9a-f]{16}$/,
    )
  })
})

describe('completeSpans', () => {
  it('should yield to the event loop between slices of late work', async () => {
    setDeferLateAttributes(true)
    const order: string[] = []
    const spans = ['a', 'b', 'c'].map((name) => {
      const span = getTracer().startSpan(name)
      addLateAttributes(span, {
        attributes() {
          order.push(name)
          // Each span's work outlasts a slice, so the batch must yield after every span.
          const until = performance.now() + SLICE_MILLIS * 2
          while (performance.now() < until);
          return { work: name }
        },
      })
      span.end()
      return span as unknown as ReadableSpan
    })
    setImmediate(() => order.push('app'))
    await completeSpans(spans)
    expect(order).toEqual(['a', 'app', 'b', 'c'])
    expect(spans.map((span) => span.attributes['work'])).toEqual(['a', 'b', 'c'])
  })

  it("should split one span's long work across slices, yielding between them", async () => {
    setDeferLateAttributes(true)
    const order: string[] = []
    let steps = 0
    const span = getTracer().startSpan('long')
    addLateAttributes(span, {
      step(deadline) {
        // Three units of work, each longer than what is left of a slice.
        steps++
        while (performance.now() < deadline);
        order.push(`step ${steps}`)
        return steps === 3
      },
      attributes: () => ({ steps }),
    })
    span.end()
    setImmediate(() => order.push('app'))
    await completeSpans([span as unknown as ReadableSpan])
    expect(order).toEqual(['step 1', 'app', 'step 2', 'step 3'])
    expect((span as unknown as ReadableSpan).attributes['steps']).toBe(3)
  })
})
