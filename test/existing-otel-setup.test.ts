import {
  agentmeterInstrumentations,
  createAgentmeterSpanProcessor,
  outcome,
  step,
  task,
} from '@agentmeter/sdk'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * An app that runs its own OpenTelemetry NodeSDK adds agentmeter's client patches and span
 * processor to it instead of calling init(), and exports with its own exporter.
 */
let collector: TestCollector
let replay: ReplayServer
let otel: NodeSDK

beforeAll(async () => {
  collector = await createTestCollector()
  replay = await startReplayServer()
  otel = new NodeSDK({
    serviceName: 'own-otel-app',
    instrumentations: [...agentmeterInstrumentations()],
    spanProcessors: [
      createAgentmeterSpanProcessor(),
      new BatchSpanProcessor(
        new OTLPTraceExporter({
          url: `${collector.url}/v1/traces`,
          headers: { authorization: `Bearer ${collector.apiKey}` },
        }),
      ),
    ],
  })
  otel.start()
})

afterAll(async () => {
  await otel?.shutdown()
  await replay?.close()
  await collector?.close()
})

describe('agentmeter inside an existing OTel setup', () => {
  it('should trace the OpenAI client and group the call into its task', async () => {
    // Created after start(): the module patch reaches new clients without instrumentOpenAI().
    const openai = new OpenAI({ apiKey: 'test', baseURL: replay.openaiBaseURL, maxRetries: 0 })
    replay.enqueue('openai-chat-basic.json')
    await task('own-otel-task', async () => {
      await step('classify', () =>
        openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      )
      outcome(true)
    })
    await otel.shutdown().catch(() => {})

    const list = await collector.api<{ tasks: Array<Record<string, unknown>> }>(
      '/api/v1/tasks?name=own-otel-task',
    )
    expect(list.body.tasks).toHaveLength(1)
    expect(list.body.tasks[0]).toMatchObject({
      llmCalls: 1,
      inputTokens: 22,
      outputTokens: 3,
      outcome: 'success',
    })
    // gpt-4o-mini: 22 × $0.15/M + 3 × $0.60/M
    expect(Math.abs((list.body.tasks[0]!.costUsd as number) - 0.0000051)).toBeLessThan(1e-12)

    const detail = await collector.api<{
      spans: Array<{ kind: string; step: string; name: string }>
    }>(`/api/v1/tasks/${list.body.tasks[0]!.taskId as string}`)
    expect(detail.body.spans.map((span) => [span.kind, span.step]).sort()).toEqual([
      ['agent', 'classify'],
      ['llm', 'classify'],
      ['task', ''],
    ])
  })
})
