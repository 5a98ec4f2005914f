import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { step } from './step'
import { task } from './task'
import { startTestProvider, type TestProvider } from './test-support/provider-server'
import { setupTestTracing } from './test-support/setup-test-tracing'
import { sumAttribute } from './test-support/spans'
import { tool } from './tool'

const tracing = setupTestTracing()
let provider: TestProvider
let client: OpenAI

beforeAll(async () => {
  provider = await startTestProvider()
  client = new OpenAI({ apiKey: 'test-key', baseURL: `${provider.url}/v1`, maxRetries: 0 })
})
afterAll(async () => {
  await provider.close()
  await tracing.shutdown()
})
beforeEach(() => tracing.reset())

/** A two-step tool loop, as an app would write it: ask, run the tools, send the results back. */
async function weatherAgent(
  signal?: AbortSignal,
  whileToolRuns: () => void = () => {},
): Promise<string | null> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'user', content: 'Weather in New York and London?' },
  ]
  const first = await step('plan', () =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal }),
  )
  const calls = first.choices[0]?.message.tool_calls ?? []
  messages.push(first.choices[0]!.message)
  for (const call of calls) {
    const result = await tool('get_weather', call, async () => {
      whileToolRuns()
      signal?.throwIfAborted()
      return 'sunny'
    })
    messages.push({ role: 'tool', tool_call_id: call.id, content: result })
  }
  const second = await step('answer', () =>
    client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal }),
  )
  return second.choices[0]?.message.content ?? null
}

describe('a two-step agent loop', () => {
  it('should count each call once: 57+125 in, 46+26 out', async () => {
    provider.serve('openai-chat-tool-calls-parallel.json')
    provider.serve('openai-chat-tool-result-followup.json')
    await task('weather', () => weatherAgent())

    const llm = tracing.spansOfKind('llm')
    expect(llm.map((span) => span.attributes['agentmeter.step.name'])).toEqual(['plan', 'answer'])
    expect(sumAttribute(tracing.spans(), 'gen_ai.usage.input_tokens')).toBe(182)
    expect(sumAttribute(tracing.spans(), 'gen_ai.usage.output_tokens')).toBe(72)
    expect(tracing.spansOfKind('tool')).toHaveLength(2)

    const taskId = tracing.spansOfKind('task')[0]?.attributes['agentmeter.task.id']
    expect(tracing.spans().every((span) => span.attributes['agentmeter.task.id'] === taskId)).toBe(
      true,
    )
    expect(new Set(tracing.spans().map((span) => span.spanContext().traceId)).size).toBe(1)
  })

  it('should keep the first call and close the run as aborted when aborted in a tool', async () => {
    provider.serve('openai-chat-tool-calls-parallel.json')
    const requestsBefore = provider.requests.length
    const controller = new AbortController()
    const run = task('weather', () => weatherAgent(controller.signal, () => controller.abort()))

    await expect(run).rejects.toThrow('This operation was aborted')
    expect(provider.requests.length - requestsBefore).toBe(1)
    const llm = tracing.spansOfKind('llm')
    expect(llm).toHaveLength(1)
    expect(llm[0]?.attributes['gen_ai.usage.input_tokens']).toBe(57)
    expect(llm[0]?.attributes['gen_ai.usage.output_tokens']).toBe(46)
    const toolSpan = tracing.spansOfKind('tool')[0]
    expect(toolSpan?.status).toEqual({ code: 2, message: 'aborted' })
    const root = tracing.spansOfKind('task')[0]
    expect(root?.status).toEqual({ code: 2, message: 'aborted' })
    expect(root?.attributes['agentmeter.task.outcome']).toBe('failure')
  })
})
