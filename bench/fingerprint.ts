import { trace } from '@opentelemetry/api'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'
import {
  deriveHashKey,
  fingerprintRequest,
  fingerprintResponse,
  fingerprintToolArgs,
  fingerprintToolResult,
} from '@agentmeter/core'

/** An exporter that drops spans: the baseline pays for span work, not for a network. */
class DiscardExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 })
  }
  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

/** A 20-turn agent loop prompt: a 6 kB system prompt, tool calls and tool results. */
function agentPrompt(turn: number): unknown[] {
  const messages: unknown[] = [
    { role: 'system', content: 'You are a support agent. '.repeat(240) },
    { role: 'user', content: 'My order ORD-9 arrived damaged, please help me with a refund.' },
  ]
  for (let i = 0; i < turn; i++) {
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: `call_${i}`,
          type: 'function',
          function: { name: 'lookup', arguments: `{"id":"ORD-${i}"}` },
        },
      ],
    })
    messages.push({
      role: 'tool',
      tool_call_id: `call_${i}`,
      content: `{"order":"ORD-${i}","status":"shipped","items":["a","b"],"note":"${'x'.repeat(400)}"}`,
    })
  }
  messages.push({
    role: 'user',
    content: `Turn ${turn}: ${'Please check the order history and tell me what happened with the delivery and the refund. '.repeat(3)}`,
  })
  return messages
}

function time(iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(i)
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) fn(i)
  return Number(process.hrtime.bigint() - start) / iterations / 1000
}

/**
 * Per-call cost of the fingerprints next to the span they go on. Baseline: starting, filling
 * (the attributes our SDK sets on an LLM span) and ending a real OTel span through a batch
 * processor. Measured: the request fingerprints of a 20-turn prompt with fresh message objects
 * (no digest cache: the worst case) and with the agent loop's reused objects, plus the
 * response and tool hashes.
 */
export async function run(args: string[]): Promise<void> {
  const iterations = Number(args[0] ?? 5000)
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new DiscardExporter())],
  })
  const tracer = provider.getTracer('bench')
  void trace
  const span = time(iterations, (i) => {
    const s = tracer.startSpan('chat gpt-4o', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
      },
    })
    s.setAttributes({
      'gen_ai.usage.input_tokens': 1000 + i,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.response.model': 'gpt-4o',
      'agentmeter.cost.usd': 0.003,
    })
    s.end()
  })
  const key = deriveHashKey({ hashKey: 'bench' })!
  const prompts = Array.from({ length: 20 }, (_, turn) => agentPrompt(turn))
  const cold = time(iterations, (i) => {
    const messages = structuredClone(prompts[i % 20]!)
    fingerprintRequest(key, { model: 'gpt-4o', params: { temperature: 0 }, messages })
  })
  const clones = time(iterations, (i) => structuredClone(prompts[i % 20]!))
  const warm = time(iterations, (i) => {
    fingerprintRequest(key, {
      model: 'gpt-4o',
      params: { temperature: 0 },
      messages: prompts[i % 20]!,
    })
  })
  const rest = time(iterations, (i) => {
    fingerprintResponse(key, [{ role: 'assistant', content: `answer ${i}` }])
    fingerprintToolArgs(key, 'lookup', { id: `ORD-${i}` })
    fingerprintToolResult(key, { order: `ORD-${i}`, status: 'shipped' })
  })
  await provider.shutdown()
  const coldNet = cold - clones
  console.log(
    JSON.stringify(
      {
        iterations,
        bareSpanMicros: round(span),
        requestFingerprintColdMicros: round(coldNet),
        requestFingerprintWarmMicros: round(warm),
        responseAndToolHashesMicros: round(rest),
        coldRatioToSpan: round(coldNet / span),
        warmRatioToSpan: round(warm / span),
      },
      null,
      1,
    ),
  )
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
