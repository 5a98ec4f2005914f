import { readFileSync } from 'node:fs'
import type { DecodedTraceRequest, OtlpSpan } from '@agentmeter/core'
import { describe, expect, it } from 'vitest'
import { decodeTraceRequest } from './index'

function decodeFixture(name: string): DecodedTraceRequest {
  const body = readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
  return decodeTraceRequest(body, 'application/json; charset=utf-8')
}

const COMPLETION =
  'LLM Observability stands for logs, metrics, and traces observability. It refers to the practice of monitoring and analyzing logs, metrics, and traces from a software application to gain insight into its performance, behavior, and issues. By collecting and analyzing these data points, developers and operators can better understand how the application is functioning and troubleshoot any problems that may arise. This approach is increasingly important in modern software development, where applications are often complex and distributed across multiple environments.'

describe('recorded OTLP/JSON payloads', () => {
  it('should decode the OTLP spec example with upper-case ids and numeric timestamps', () => {
    const expected: OtlpSpan = {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 2,
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661000000000',
      attributes: { 'my.span.attr': 'some value' },
      events: [],
      statusCode: 0,
      statusMessage: '',
      resource: { 'service.name': 'my.service' },
      scopeName: 'my.library',
      scopeVersion: '1.0.0',
    }
    expect(decodeFixture('01-otlp-spec-example.otlp.json')).toEqual({
      spans: [expected],
      rejected: [],
    })
  })

  it('should decode the protobufjs shape (Buffer ids, Long ints) of an OpenLIT span', () => {
    const expected: OtlpSpan = {
      traceId: 'ea673708441c2984a54a3e3962d3595f',
      spanId: 'b904bffb20be6d7e',
      parentSpanId: '',
      name: 'openai.chat.completions',
      kind: 3,
      startTimeUnixNano: '1738074845669299666',
      endTimeUnixNano: '1738074846843448248',
      attributes: {
        'telemetry.sdk.name': 'openlit',
        'gen_ai.system': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.endpoint': 'openai.chat.completions',
        'gen_ai.response.id': 'chatcmpl-AugxBIoQzz2zFMWFoiyS3Vmm1OuQI',
        'gen_ai.environment': 'default',
        'gen_ai.application_name': 'default',
        'gen_ai.request.model': 'gpt-3.5-turbo',
        'gen_ai.request.top_p': 1,
        'gen_ai.request.max_tokens': -1,
        'gen_ai.request.user': '',
        'gen_ai.request.temperature': 1,
        'gen_ai.request.presence_penalty': 0,
        'gen_ai.request.frequency_penalty': 0,
        'gen_ai.request.seed': '',
        'gen_ai.request.is_stream': false,
        'gen_ai.usage.input_tokens': 14,
        'gen_ai.usage.output_tokens': 96,
        'gen_ai.usage.total_tokens': 110,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.cost': 0.000151,
      },
      events: [
        {
          name: 'gen_ai.content.prompt',
          timeUnixNano: '1738074846843303227',
          attributes: { 'gen_ai.prompt': 'user: What is LLM Observability?' },
        },
        {
          name: 'gen_ai.content.completion',
          timeUnixNano: '1738074846843349296',
          attributes: { 'gen_ai.completion': COMPLETION },
        },
      ],
      statusCode: 1,
      statusMessage: '',
      resource: {
        'telemetry.sdk.language': 'python',
        'telemetry.sdk.name': 'openlit',
        'telemetry.sdk.version': '1.27.0',
        'service.name': 'default',
        'deployment.environment': 'default',
      },
      scopeName: 'openlit.otel.tracing',
      scopeVersion: '',
    }
    expect(decodeFixture('10-openlit-openai-chat.protobufjs-shape.json')).toEqual({
      spans: [expected],
      rejected: [],
    })
  })

  it('should decode Semantic Kernel message events without a resource block', () => {
    const expected: OtlpSpan = {
      traceId: 'ea673708441c2984a54a3e3962d3595f',
      spanId: 'b904bffb20be6d7e',
      parentSpanId: '',
      name: 'chat_completion',
      kind: 3,
      startTimeUnixNano: '1738074845669299666',
      endTimeUnixNano: '1738074846843448248',
      attributes: { 'gen_ai.response.model': 'gpt-4-0613' },
      events: [
        {
          name: 'gen_ai.system.message',
          timeUnixNano: '1738074846843303227',
          attributes: { content: 'You are a helpful assistant.' },
        },
        {
          name: 'gen_ai.user.message',
          timeUnixNano: '1738074846843303228',
          attributes: { content: 'What is the capital of France?' },
        },
        {
          name: 'gen_ai.choice',
          timeUnixNano: '1738074846843349296',
          attributes: {
            index: 0,
            finish_reason: 'stop',
            message: '{"role":"assistant","content":"The capital of France is Paris."}',
          },
        },
      ],
      statusCode: 1,
      statusMessage: '',
      resource: {},
      scopeName: 'Microsoft.SemanticKernel',
      scopeVersion: '',
    }
    expect(decodeFixture('12-semantic-kernel-chat-message-events.otlp.json')).toEqual({
      spans: [expected],
      rejected: [],
    })
  })

  it('should decode the minimal Vercel AI embedding span with an empty status', () => {
    const expected: OtlpSpan = {
      traceId: '0102030405060708090a0b0c0d0e0f10',
      spanId: '0102030405060708',
      parentSpanId: '',
      name: 'generate-document-embedding',
      kind: 3,
      startTimeUnixNano: '1738074845669299666',
      endTimeUnixNano: '1738074846843448248',
      attributes: {
        'operation.name': 'ai.embed.doEmbed generate-document-embedding',
        'ai.model.id': 'gemini-embedding-001',
      },
      events: [],
      statusCode: 0,
      statusMessage: '',
      resource: {},
      scopeName: 'ai',
      scopeVersion: '',
    }
    expect(decodeFixture('13-vercel-ai-embed-doEmbed-minimal.otlp.json')).toEqual({
      spans: [expected],
      rejected: [],
    })
  })

  it('should decode the Anthropic prompt-cache span with string and int usage values', () => {
    const { spans, rejected } = decodeFixture('16-vercel-ai-anthropic-prompt-cache.otlp.json')

    expect(rejected).toEqual([])
    expect(spans).toHaveLength(1)
    const [span] = spans
    expect({ ...span, attributes: undefined }).toEqual({
      traceId: 'abcdef1234567890abcdef1234567890',
      spanId: '1234567890abcdef',
      parentSpanId: '',
      name: 'bedrock-generation',
      kind: 1,
      startTimeUnixNano: '1746026930220515904',
      endTimeUnixNano: '1746026930221515904',
      attributes: undefined,
      events: [],
      statusCode: 0,
      statusMessage: '',
      resource: { 'service.name': 'test-service' },
      scopeName: 'ai',
      scopeVersion: '4.0.0',
    })
    expect(span!.attributes['gen_ai.usage.input_tokens']).toBe(18495)
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(445)
    expect(span!.attributes['ai.usage.cachedInputTokens']).toBe('16399')
    expect(JSON.parse(span!.attributes['ai.response.providerMetadata'] as string)).toEqual({
      anthropic: {
        usage: {
          input_tokens: 7,
          cache_creation_input_tokens: 2089,
          cache_read_input_tokens: 16399,
          cache_creation: { ephemeral_5m_input_tokens: 2089, ephemeral_1h_input_tokens: 0 },
          output_tokens: 445,
          service_tier: 'standard',
        },
        cacheCreationInputTokens: 2089,
        stopSequence: null,
        container: null,
        contextManagement: null,
      },
    })
    expect(Object.keys(span!.attributes)).toHaveLength(4)
  })
})
