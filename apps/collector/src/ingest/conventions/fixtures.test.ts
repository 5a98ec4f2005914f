import { vercelAi, type SpanRow, type Usage } from '@agentmeter/core'
import { describe, expect, it } from 'vitest'
import { readFixture, spanFromAttributeMap, spansFromDump } from './fixture-spans'
import { canonical, rowsOfBody, rowsOfSpans, type Encoding } from './normalize-fixture'

type Canonical = ReturnType<typeof canonical>

const NO_CACHE = { cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 }

function usage(inputTokens: number, outputTokens: number, more: Partial<Usage> = {}): Usage {
  return { inputTokens, outputTokens, ...NO_CACHE, reasoningTokens: 0, ...more }
}

/** Defaults of a row nobody priced or billed; each case states what differs. */
const BASE: Canonical = {
  convention: 'otel-genai',
  kind: 'llm',
  taskName: '',
  isTaskRoot: true,
  provider: '',
  requestModel: '',
  responseModel: '',
  toolName: '',
  usage: null,
  usageExtra: {},
  usageNotes: [],
  priced: false,
  costUsd: null,
  priceSource: null,
  priceReason: '',
  reportedCostUsd: null,
}

const computed = (costUsd: string) => ({ priced: true, costUsd, priceSource: 'computed' as const })

/** OTel GenAI chat of fixture 02 (and its deprecated-content twin 03): gpt-4-0613, $30 / $60. */
const GPT4_CHAT: Canonical = {
  ...BASE,
  taskName: 'chat gpt-4',
  provider: 'openai',
  requestModel: 'gpt-4',
  responseModel: 'gpt-4-0613',
  usage: usage(97, 52),
  // 97 × $30/M + 52 × $60/M
  ...computed('0.006030000000'),
}

interface SpanCase {
  fixture: string
  rows: () => Parameters<typeof rowsOfSpans>[0]
  expected: Canonical[]
}

const SPAN_CASES: SpanCase[] = [
  {
    fixture: '02-otel-genai-chat-tool-calls.attrs.json',
    rows: () => [
      spanFromAttributeMap('02-otel-genai-chat-tool-calls.attrs.json', { name: 'chat gpt-4' }),
    ],
    expected: [GPT4_CHAT],
  },
  {
    fixture: '03-otel-genai-deprecated-prompt-completion.attrs.json',
    rows: () => [
      spanFromAttributeMap('03-otel-genai-deprecated-prompt-completion.attrs.json', {
        name: 'chat gpt-4',
      }),
    ],
    expected: [GPT4_CHAT],
  },
  {
    fixture: '04-otel-genai-execute-tool.attrs.json',
    rows: () => [
      spanFromAttributeMap('04-otel-genai-execute-tool.attrs.json', {
        name: 'execute_tool get_weather',
      }),
    ],
    expected: [
      {
        ...BASE,
        kind: 'tool',
        taskName: 'execute_tool get_weather',
        toolName: 'get_weather',
        priceReason: 'tool spans are not billed',
      },
    ],
  },
  {
    fixture: '05-openinference-llm-tool-calls.attrs.json',
    rows: () => [
      spanFromAttributeMap('05-openinference-llm-tool-calls.attrs.json', {
        name: 'ChatCompletion',
      }),
    ],
    expected: [
      {
        ...GPT4_CHAT,
        convention: 'openinference',
        taskName: 'ChatCompletion',
        // OpenInference names only the served model.
        requestModel: 'gpt-4-0613',
      },
    ],
  },
  {
    fixture: '06-vercel-ai-v6-generateText-doGenerate.spans.json',
    rows: () => spansFromDump('06-vercel-ai-v6-generateText-doGenerate.spans.json'),
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        taskName: 'test-generate-text',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        usage: usage(14, 20),
        // 14 × $0.15/M + 20 × $0.60/M
        ...computed('0.000014100000'),
      },
      {
        ...BASE,
        convention: 'vercel-ai',
        taskName: 'test-generate-text-messages',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        usage: usage(50, 9),
        // 50 × $0.15/M + 9 × $0.60/M
        ...computed('0.000012900000'),
      },
    ],
  },
  {
    fixture: '07-vercel-ai-v6-generateText.spans.json',
    rows: () => spansFromDump('07-vercel-ai-v6-generateText.spans.json'),
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        kind: 'task',
        taskName: 'test-generate-text',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        usageExtra: { aggregate_input_tokens: 14, aggregate_output_tokens: 20 },
        priceReason: 'task spans are not billed',
      },
      {
        ...BASE,
        convention: 'vercel-ai',
        kind: 'task',
        taskName: 'test-generate-text-messages',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        usageExtra: { aggregate_input_tokens: 50, aggregate_output_tokens: 9 },
        priceReason: 'task spans are not billed',
      },
    ],
  },
  {
    fixture: '08-vercel-ai-v6-streamText-doStream.spans.json',
    rows: () => spansFromDump('08-vercel-ai-v6-streamText-doStream.spans.json'),
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        taskName: 'test-stream-text',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
        usage: usage(15, 112),
        // 15 × $0.15/M + 112 × $0.60/M
        ...computed('0.000069450000'),
      },
    ],
  },
  {
    fixture: '19-vercel-ai-v6-streamText-outer.spans.json',
    rows: () => spansFromDump('19-vercel-ai-v6-streamText-outer.spans.json'),
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        kind: 'task',
        taskName: 'test-stream-text',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        usageExtra: { aggregate_input_tokens: 15, aggregate_output_tokens: 112 },
        priceReason: 'task spans are not billed',
      },
    ],
  },
]

interface BodyCase {
  fixture: string
  expected: Canonical[]
}

const BODY_CASES: BodyCase[] = [
  {
    fixture: '01-otlp-spec-example.otlp.json',
    // A server span with a parent and no GenAI attribute: neither a task root nor billed.
    expected: [
      {
        ...BASE,
        convention: 'otel',
        kind: 'other',
        isTaskRoot: false,
        priceReason: 'other spans are not billed',
      },
    ],
  },
  {
    fixture: '10-openlit-openai-chat.protobufjs-shape.json',
    expected: [
      {
        ...BASE,
        convention: 'openlit',
        taskName: 'openai.chat.completions',
        provider: 'openai',
        requestModel: 'gpt-3.5-turbo',
        usage: usage(14, 96),
        // 14 × $0.50/M + 96 × $1.50/M, which is what OpenLIT reported too.
        ...computed('0.000151000000'),
        reportedCostUsd: '0.000151000000',
        priceReason:
          'reported estimate 0.000151000000 USD (gen_ai.usage.cost) matches the computed cost; computed used',
      },
    ],
  },
  {
    fixture: '12-semantic-kernel-chat-message-events.otlp.json',
    expected: [
      {
        ...BASE,
        convention: 'semantic-kernel',
        taskName: 'chat_completion',
        responseModel: 'gpt-4-0613',
        priceReason: 'usage not reported',
      },
    ],
  },
  {
    fixture: '13-vercel-ai-embed-doEmbed-minimal.otlp.json',
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        kind: 'embedding',
        taskName: 'generate-document-embedding',
        requestModel: 'gemini-embedding-001',
        priceReason: 'usage not reported',
      },
    ],
  },
  {
    fixture: '16-vercel-ai-anthropic-prompt-cache.otlp.json',
    expected: [
      {
        ...BASE,
        convention: 'vercel-ai',
        taskName: 'bedrock-generation',
        // 7 uncached + 16399 read + 2089 written, from Anthropic's raw usage in providerMetadata.
        usage: usage(18495, 445, { cacheReadTokens: 16399, cacheWriteTokens: 2089 }),
        priceReason: 'no model on the span',
      },
    ],
  },
]

const ENCODINGS: Encoding[] = ['json', 'protobuf']

describe('recorded payloads of other instrumentations, normalized', () => {
  for (const { fixture, rows, expected } of SPAN_CASES) {
    for (const encoding of ENCODINGS) {
      it(`should give the exact canonical rows for ${fixture} sent as ${encoding}`, () => {
        expect(rowsOfSpans(rows(), encoding).map(canonical)).toEqual(expected)
      })
    }
  }

  for (const { fixture, expected } of BODY_CASES) {
    it(`should give the exact canonical rows for ${fixture} posted as it is`, () => {
      expect(rowsOfBody(readFixture(fixture), 'json').map(canonical)).toEqual(expected)
    })
  }

  it('should read every usage key of the AI SDK inventory (fixture 20)', () => {
    const inventory = JSON.parse(
      readFixture('20-vercel-ai-v6-attribute-inventory.json').toString('utf8'),
    ) as { attributeSummary: { genAi: string[]; ai: string[] } }
    const usageKeys = [...inventory.attributeSummary.genAi, ...inventory.attributeSummary.ai]
      .filter((key) => /\.usage\./.test(key))
      // Totals are derived, not billed.
      .filter((key) => key !== 'ai.usage.totalTokens')
    const read = new Set(Object.values(vercelAi.usage).flat())
    expect(usageKeys.filter((key) => !read.has(key))).toEqual([])
    expect(usageKeys).toHaveLength(9)
  })
})

function billedTotals(rows: SpanRow[]) {
  const billed = rows.filter((row) => row.kind === 'llm' || row.kind === 'embedding')
  return {
    calls: billed.length,
    inputTokens: billed.reduce((sum, row) => sum + (row.usage?.inputTokens ?? 0), 0),
    outputTokens: billed.reduce((sum, row) => sum + (row.usage?.outputTokens ?? 0), 0),
  }
}

describe('fixtures that describe the same call', () => {
  it('should give 02 (OTel GenAI) and 05 (OpenInference) the same usage and cost', () => {
    const [otel] = rowsOfSpans(
      [spanFromAttributeMap('02-otel-genai-chat-tool-calls.attrs.json')],
      'json',
    )
    const [openinference] = rowsOfSpans(
      [spanFromAttributeMap('05-openinference-llm-tool-calls.attrs.json')],
      'json',
    )
    expect(openinference!.usage).toEqual(otel!.usage)
    expect(openinference!.cost.costUsd).toBe(otel!.cost.costUsd)
  })

  it('should count 07 and its child 06 once, as 14 in / 20 out', () => {
    const [outer] = spansFromDump('07-vercel-ai-v6-generateText.spans.json')
    const [step] = spansFromDump('06-vercel-ai-v6-generateText-doGenerate.spans.json', () => ({
      traceId: outer!.spanContext().traceId,
      parentSpanId: outer!.spanContext().spanId,
    }))
    for (const order of [
      [outer!, step!],
      [step!, outer!],
    ]) {
      expect(billedTotals(rowsOfSpans(order, 'protobuf'))).toEqual({
        calls: 1,
        inputTokens: 14,
        outputTokens: 20,
      })
    }
  })

  it('should count 19 and its child 08 once, as 15 in / 112 out', () => {
    const [outer] = spansFromDump('19-vercel-ai-v6-streamText-outer.spans.json')
    const [step] = spansFromDump('08-vercel-ai-v6-streamText-doStream.spans.json', () => ({
      traceId: outer!.spanContext().traceId,
      parentSpanId: outer!.spanContext().spanId,
    }))
    // Each span alone, as if they came in separate requests, in either order.
    const rows = [...rowsOfSpans([step!], 'json'), ...rowsOfSpans([outer!], 'json')]
    expect(billedTotals(rows)).toEqual({ calls: 1, inputTokens: 15, outputTokens: 112 })
    const outerRow = rows.find((row) => row.spanId === outer!.spanContext().spanId)!
    expect(outerRow).toMatchObject({ kind: 'task', isTaskRoot: true, usage: null })
    expect(outerRow.usageExtra).toEqual({
      aggregate_input_tokens: 15,
      aggregate_output_tokens: 112,
    })
    const stepRow = rows.find((row) => row.spanId === step!.spanContext().spanId)!
    expect(stepRow).toMatchObject({ kind: 'llm', isTaskRoot: false, taskName: 'test-stream-text' })
  })
})
