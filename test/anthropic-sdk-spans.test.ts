import Anthropic from '@anthropic-ai/sdk'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

let collector: TestCollector
let replay: ReplayServer
let provider: BasicTracerProvider
let anthropic: Anthropic

beforeAll(async () => {
  collector = await createTestCollector()
  replay = await startReplayServer()
  provider = new BasicTracerProvider({
    spanProcessors: [
      new SimpleSpanProcessor(
        new OTLPTraceExporter({
          url: `${collector.url}/v1/traces`,
          headers: { authorization: `Bearer ${collector.apiKey}` },
        }),
      ),
    ],
  })
  // The client's own tracing (no agentmeter SDK): what a team already running it would send.
  anthropic = new Anthropic({
    apiKey: 'test',
    baseURL: replay.anthropicBaseURL,
    maxRetries: 0,
    openTelemetry: { tracerProvider: provider },
  })
})

afterAll(async () => {
  await provider?.shutdown()
  await replay?.close()
  await collector?.close()
})

interface TaskList {
  tasks: Array<{ taskId: string; name: string; inputTokens: number; costUsd: number | null }>
}
interface TaskDetail {
  spans: Array<{
    name: string
    kind: string
    usage: Record<string, number> | null
    costUsd: number | null
  }>
}

async function taskOfLatestCall(name: string) {
  await provider.forceFlush()
  const { body } = await collector.api<TaskList>('/api/v1/tasks?limit=100')
  const task = body.tasks.find((candidate) => candidate.name === name)
  expect(task).toBeDefined()
  return (await collector.api<TaskDetail>(`/api/v1/tasks/${task!.taskId}`)).body
}

describe("@anthropic-ai/sdk's own spans, ingested as they are", () => {
  it('should price messages.create with the cache write the client recorded', async () => {
    replay.enqueue('anthropic-messages-cache-write.json')
    await anthropic.messages.create({
      model: 'claude-3-haiku-20240307',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hello' }],
    })
    const detail = await taskOfLatestCall('anthropic.messages.create')
    expect(detail.spans).toHaveLength(1)
    expect(detail.spans[0]).toMatchObject({
      kind: 'llm',
      // The client adds the 1200 written to Anthropic's 1231, as OTel asks.
      usage: { inputTokens: 2431, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 1200 },
    })
    // 1231 × $0.25 + 1200 × $0.30 + 5 × $1.25, per million.
    expect(Math.abs(detail.spans[0]!.costUsd! - 0.000674)).toBeLessThan(1e-12)
  })

  it('should take the final counts of a stream from its message_delta', async () => {
    await provider.forceFlush()
    const before = (await collector.api<TaskList>('/api/v1/tasks?limit=100')).body.tasks
    replay.enqueue('anthropic-messages-stream-cache-read-server-tools.sse')
    const stream = await anthropic.messages.create({
      model: 'claude-sonnet-5',
      max_tokens: 1024,
      stream: true,
      messages: [{ role: 'user', content: 'run the numbers' }],
    })
    for await (const event of stream) void event
    await provider.forceFlush()
    const after = (await collector.api<TaskList>('/api/v1/tasks?limit=100')).body.tasks
    const fresh = after.filter((task) => !before.some((seen) => seen.taskId === task.taskId))
    expect(fresh).toHaveLength(1)
    const detail = (await collector.api<TaskDetail>(`/api/v1/tasks/${fresh[0]!.taskId}`)).body
    expect(detail.spans[0]).toMatchObject({
      kind: 'llm',
      // 6 uncached + 6289 read + 3337 written; 198 out.
      usage: {
        inputTokens: 9632,
        outputTokens: 198,
        cacheReadTokens: 6289,
        cacheWriteTokens: 3337,
      },
    })
  })
})
