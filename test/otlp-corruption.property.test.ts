import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestSpan,
  decodeProtobufResponse,
  jsonBody,
  protobufBody,
} from './support/otlp-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
})

/** A valid request: an AI SDK step span and an OpenInference LLM span with usage. */
function validSpans(seed: number) {
  const traceId = seed.toString(16).padStart(8, '0').repeat(4)
  return [
    createTestSpan({
      traceId,
      spanId: '1111111111111111',
      name: 'ai.generateText.doGenerate',
      scope: 'ai',
      attributes: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.id': 'gpt-4o-mini',
        'ai.usage.promptTokens': 14,
        'ai.usage.completionTokens': 20,
        'ai.response.providerMetadata': '{"openai":{"cachedPromptTokens":4}}',
      },
    }),
    createTestSpan({
      traceId,
      spanId: '2222222222222222',
      parentSpanId: '1111111111111111',
      name: 'ChatCompletion',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o',
        'llm.token_count.prompt': 100,
        'llm.token_count.completion': 10,
        'llm.cost.total': 0.00035,
      },
    }),
  ]
}

const corruption = fc.record({
  seed: fc.nat(),
  format: fc.constantFrom('protobuf' as const, 'json' as const),
  gzip: fc.boolean(),
  // Byte edits before compression, then an optional cut.
  edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
  cut: fc.option(fc.nat()),
  // Some edits after compression too, so the gzip framing itself is damaged at times.
  gzipEdits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 2 }),
})

function corrupt(body: Uint8Array, edits: [number, number][], cut: number | null): Uint8Array {
  const out = Uint8Array.from(body)
  for (const [position, byte] of edits) out[position % out.length] = byte
  return cut === null ? out : out.subarray(0, cut % (out.length + 1))
}

describe('corrupted OTLP bodies through the real HTTP route', () => {
  it('should answer 400 or a (partial) success, never a 5xx, and keep serving', async () => {
    await fc.assert(
      fc.asyncProperty(corruption, async ({ seed, format, gzip, edits, cut, gzipEdits }) => {
        const spans = validSpans(seed)
        let body = corrupt(format === 'json' ? jsonBody(spans) : protobufBody(spans), edits, cut)
        if (gzip) body = corrupt(gzipSync(body), gzipEdits, null)
        const response = await fetch(`${collector.url}/v1/traces`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${collector.apiKey}`,
            'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf',
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          },
          body: Uint8Array.from(body),
        })
        const answer = new Uint8Array(await response.arrayBuffer())
        expect([200, 400]).toContain(response.status)
        if (format === 'json') {
          const parsed = JSON.parse(new TextDecoder().decode(answer)) as Record<string, unknown>
          if (response.status === 400) expect(typeof parsed.message).toBe('string')
          else expect(Object.keys(parsed).filter((key) => key !== 'partialSuccess')).toEqual([])
        } else if (response.status === 200) {
          expect(() => decodeProtobufResponse(answer)).not.toThrow()
        }
      }),
      { numRuns: 150 },
    )
    expect((await fetch(`${collector.url}/readyz`)).status).toBe(200)
  })
})
