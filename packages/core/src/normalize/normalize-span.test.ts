import { describe, expect, it } from 'vitest'
import { normalizeSpan } from './normalize-span'
import type { OtlpSpan } from './otlp-span'

function createTestSpan(overrides: Partial<OtlpSpan>): OtlpSpan {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: '1764835200000000000',
    endTimeUnixNano: '1764835201500000000',
    attributes: {},
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: { 'service.name': 'support-bot' },
    scopeName: 'test',
    scopeVersion: '1.0.0',
    ...overrides,
  }
}

describe('normalizeSpan', () => {
  it('should price an OTel GenAI chat span and make its trace a task', () => {
    const row = normalizeSpan(
      createTestSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 500,
        },
      }),
      { projectId: 'p1' },
    )
    expect(row).toMatchObject({
      projectId: 'p1',
      taskId: '5b8efff798038103d269b633813fc60c',
      taskName: 'chat gpt-4o',
      isTaskRoot: true,
      kind: 'llm',
      convention: 'otel-genai',
      provider: 'openai',
      requestModel: 'gpt-4o',
      serviceName: 'support-bot',
      usage: {
        inputTokens: 1000,
        outputTokens: 500,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      },
    })
    expect(row.cost).toMatchObject({ priced: true, costUsd: '0.007500000000', source: 'computed' })
  })

  it('should read agentmeter task, step and kind attributes from our SDK', () => {
    const row = normalizeSpan(
      createTestSpan({
        parentSpanId: 'aaaaaaaaaaaaaaaa',
        name: 'lookup_order',
        attributes: {
          'agentmeter.span.kind': 'tool',
          'agentmeter.task.id': 'task-42',
          'agentmeter.task.name': 'ticket-triage',
          'agentmeter.step.name': 'lookup',
          'gen_ai.tool.name': 'lookup_order',
          'agentmeter.tool.args_hash': '00ff00ff00ff00ff',
        },
      }),
      { projectId: 'p1' },
    )
    expect(row).toMatchObject({
      taskId: 'task-42',
      taskName: 'ticket-triage',
      isTaskRoot: false,
      step: 'lookup',
      kind: 'tool',
      toolName: 'lookup_order',
      convention: 'agentmeter',
      usage: null,
    })
    expect(row.cost.priced).toBe(false)
    expect(row.fingerprints.toolArgsHash).toBe('00ff00ff00ff00ff')
  })

  it('should store unknown usage when the SDK says the provider reported none', () => {
    const row = normalizeSpan(
      createTestSpan({
        attributes: {
          'agentmeter.span.kind': 'llm',
          'agentmeter.usage.known': false,
          'gen_ai.provider.name': 'openai',
          'gen_ai.response.model': 'gpt-3.5-turbo-0125',
        },
      }),
      { projectId: 'p1' },
    )
    expect(row.usage).toBeNull()
    expect(row.cost).toMatchObject({ priced: false, costUsd: null, reason: 'usage not reported' })
  })

  it('should drop prompt and completion attributes unless content capture is on', () => {
    const span = createTestSpan({
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"secret"}]}]',
        'gen_ai.prompt.0.content': 'secret',
        'gen_ai.request.temperature': 0.2,
      },
    })
    expect(normalizeSpan(span, { projectId: 'p1' }).attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.temperature': '0.2',
    })
    expect(
      Object.keys(normalizeSpan(span, { projectId: 'p1', captureContent: true }).attributes),
    ).toHaveLength(4)
  })

  it('should price the served model over the requested alias', () => {
    const row = normalizeSpan(
      createTestSpan({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-05-13',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 500,
        },
      }),
      { projectId: 'p1' },
    )
    // gpt-4o-2024-05-13 is $5 / $15 per million: 0.005 + 0.0075
    expect(row.cost.costUsd).toBe('0.012500000000')
  })
})
