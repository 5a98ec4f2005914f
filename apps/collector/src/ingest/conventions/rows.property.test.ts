import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestReadableSpan } from '../otlp/create-test-spans'
import { rowsOfSpans } from './normalize-fixture'

const count = fc.oneof(fc.nat({ max: 2_000_000 }), fc.constant(0))
const model = fc.constantFrom(
  'gpt-4o',
  'gpt-4o-mini',
  'o4-mini',
  'claude-sonnet-4-20250514',
  'acme-9000',
)

/** Attribute sets in the spelling of each convention, with random counts and costs. */
const conventionAttributes = fc.oneof(
  fc.record({
    'gen_ai.operation.name': fc.constantFrom('chat', 'embeddings', 'invoke_agent', 'execute_tool'),
    'gen_ai.provider.name': fc.constantFrom('openai', 'anthropic'),
    'gen_ai.request.model': model,
    'gen_ai.usage.input_tokens': count,
    'gen_ai.usage.output_tokens': count,
    'gen_ai.usage.cache_read.input_tokens': count,
    'gen_ai.usage.reasoning.output_tokens': count,
  }),
  fc.record({
    'openinference.span.kind': fc.constantFrom('LLM', 'EMBEDDING', 'AGENT', 'CHAIN', 'TOOL'),
    'llm.provider': fc.constantFrom('openai', 'anthropic'),
    'llm.model_name': model,
    'llm.token_count.prompt': count,
    'llm.token_count.completion': count,
    'llm.token_count.prompt_details.cache_write': count,
    'llm.cost.total': fc.double({ min: 0, max: 10, noNaN: true }),
  }),
  fc.record({
    'ai.operationId': fc.constantFrom(
      'ai.generateText',
      'ai.generateText.doGenerate',
      'ai.streamText.doStream',
      'ai.embed.doEmbed',
      'ai.toolCall',
    ),
    'ai.model.provider': fc.constantFrom('openai.chat', 'anthropic.messages'),
    'ai.model.id': model,
    'ai.usage.promptTokens': count,
    'ai.usage.completionTokens': count,
    'ai.response.providerMetadata': count.map((read) =>
      JSON.stringify({ anthropic: { usage: { input_tokens: 5, cache_read_input_tokens: read } } }),
    ),
  }),
  fc.record({
    'traceloop.span.kind': fc.constantFrom('workflow', 'task', 'agent', 'tool'),
    'llm.request.type': fc.constantFrom('chat', 'embedding'),
    'gen_ai.system': fc.constantFrom('OpenAI', 'Anthropic'),
    'gen_ai.request.model': model,
    'gen_ai.usage.prompt_tokens': count,
    'gen_ai.usage.completion_tokens': count,
  }),
)

const hexId = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .filter((id) => id.some((byte) => byte !== 0))
    .map((id) => Buffer.from(id).toString('hex'))

const span = fc.record({
  traceId: hexId(16),
  spanId: hexId(8),
  parentSpanId: fc.option(hexId(8), { nil: undefined }),
  name: fc.string({ maxLength: 20 }),
  scope: fc.constantFrom('ai', 'pydantic-ai', 'openlit.otel.tracing', 'other'),
  start: fc.nat({ max: 2_000_000_000 }),
  attributes: conventionAttributes,
})

describe('normalized rows under generated requests', () => {
  it('should give identical rows whether a request came as protobuf or JSON', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(span, { minLength: 1, maxLength: 6, selector: (s) => s.spanId }),
        (inputs) => {
          const spans = inputs.map((input) =>
            createTestReadableSpan({
              traceId: input.traceId,
              spanId: input.spanId,
              parentSpanId: input.parentSpanId,
              name: input.name,
              startTime: [input.start, 0],
              endTime: [input.start + 1, 0],
              attributes: input.attributes,
              scope: { name: input.scope },
            }),
          )
          const protobuf = rowsOfSpans(spans, 'protobuf')
          const json = rowsOfSpans(spans, 'json')
          expect(json).toEqual(protobuf)
          expect(protobuf).toHaveLength(inputs.length)
          for (const row of protobuf) {
            // Only provider calls carry usage; every other kind keeps its counts apart.
            if (row.kind !== 'llm' && row.kind !== 'embedding') expect(row.usage).toBeNull()
            if (row.cost.priced) expect(Number(row.cost.costUsd)).toBeGreaterThanOrEqual(0)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
