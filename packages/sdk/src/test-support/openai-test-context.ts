import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import { startTestProvider, type TestProvider } from './provider-server'
import { setupTestTracing, type TestTracing } from './setup-test-tracing'

export interface OpenAITestContext {
  tracing: TestTracing
  /** The loopback provider; valid inside tests (after `beforeAll`). */
  provider(): TestProvider
  /** A real OpenAI client pointed at the provider. */
  client(): OpenAI
  /** The attributes every chat span of these tests starts with. */
  requestAttributes(model: string, stream: boolean): Record<string, unknown>
  /** The one span the test produced (fails the test when there is not exactly one). */
  onlySpan(): ReturnType<TestTracing['spans']>[number]
}

/**
 * Shared setup of the OpenAI client tests: in-memory tracing with our patches, a loopback
 * provider, a real client, and the span reset between tests. Call once at a test file's top.
 */
export function setupOpenAITest(): OpenAITestContext {
  const tracing = setupTestTracing()
  let provider: TestProvider
  let client: OpenAI
  let port: number

  beforeAll(async () => {
    provider = await startTestProvider()
    port = Number(new URL(provider.url).port)
    client = new OpenAI({ apiKey: 'test-key', baseURL: `${provider.url}/v1`, maxRetries: 0 })
  })
  afterAll(async () => {
    await provider.close()
    await tracing.shutdown()
  })
  beforeEach(() => tracing.reset())

  return {
    tracing,
    provider: () => provider,
    client: () => client,
    requestAttributes: (model, stream) => ({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.request.stream': stream,
      'agentmeter.span.kind': 'llm',
      'server.address': '127.0.0.1',
      'server.port': port,
    }),
    onlySpan: () => {
      const spans = tracing.spans()
      expect(spans).toHaveLength(1)
      return spans[0]!
    },
  }
}
