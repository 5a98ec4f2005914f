import { toUnixNano, type JsonSpanInput } from './otlp-json'

/**
 * Spans for the what-if tests: three `triage` tasks whose `classify` step runs on gpt-4o (one
 * with cache reads, one with a shadow call on gpt-4o too), a `report` task with the same step
 * name and an unpriced call, and a `triage` task older than the 30-day window. Costs by hand
 * (gpt-4o $2.50 / $1.25 cached / $10 per million; gpt-4o-mini $0.15 / $0.60) are in the tests.
 */
export function whatIfSpans(now: Date): JsonSpanInput[] {
  const daysAgo = (days: number, ms = 0) => new Date(now.getTime() - days * 86_400_000 + ms)
  return [
    root('triage', 'wa1', daysAgo(2)),
    llm('triage', 'wa1', '0000000000000a11', 'classify', 'gpt-4o', daysAgo(2, 10), {
      input: 1000,
      output: 200,
    }),
    llm('triage', 'wa1', '0000000000000a12', 'draft', 'gpt-4o', daysAgo(2, 20), {
      input: 2000,
      output: 500,
    }),
    root('triage', 'wa2', daysAgo(3)),
    llm('triage', 'wa2', '0000000000000a21', 'classify', 'gpt-4o', daysAgo(3, 10), {
      input: 3000,
      output: 100,
      cacheRead: 2000,
    }),
    root('triage', 'wa3', daysAgo(4)),
    llm('triage', 'wa3', '0000000000000a31', 'classify', 'gpt-4o', daysAgo(4, 10), {
      input: 500,
      output: 50,
    }),
    llm('triage', 'wa3', '0000000000000a32', 'classify', 'gpt-4o', daysAgo(4, 20), {
      input: 500,
      output: 50,
      shadowOf: '0000000000000a31',
    }),
    root('report', 'wb1', daysAgo(5)),
    llm('report', 'wb1', '0000000000000b11', 'classify', 'gpt-4o', daysAgo(5, 10), {
      input: 1000,
      output: 200,
      responseModel: 'gpt-4o-2024-08-06',
    }),
    llm('report', 'wb1', '0000000000000b12', 'summarize', 'mystery-model-9', daysAgo(5, 20), {
      input: 100,
      output: 10,
    }),
    root('triage', 'wold', daysAgo(40)),
    llm('triage', 'wold', '0000000000000c11', 'classify', 'gpt-4o', daysAgo(40, 10), {
      input: 1000,
      output: 200,
    }),
  ]
}

/**
 * An `audit` task at `at` whose only call is on a model nobody prices (no step): the what-if
 * leaves it out of every figure and counts it in `unpricedOnlyTasks`.
 */
export function unpricedOnlyTaskSpans(at: Date): JsonSpanInput[] {
  return [
    root('audit', 'wu1', at),
    llm('audit', 'wu1', '0000000000000d11', '', 'mystery-model-9', new Date(at.getTime() + 10), {
      input: 100,
      output: 10,
    }),
  ]
}

function traceOf(taskId: string): string {
  return Buffer.from(taskId).toString('hex').padEnd(32, '0')
}

function root(taskName: string, taskId: string, at: Date): JsonSpanInput {
  return {
    traceId: traceOf(taskId),
    spanId: 'f'.repeat(16),
    name: `task ${taskName}`,
    kind: 1,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 1000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': taskName,
      'agentmeter.task.outcome': 'success',
    },
  }
}

function llm(
  taskName: string,
  taskId: string,
  spanId: string,
  step: string,
  model: string,
  at: Date,
  usage: {
    input: number
    output: number
    cacheRead?: number
    shadowOf?: string
    responseModel?: string
  },
): JsonSpanInput {
  const shadow: JsonSpanInput['attributes'] = usage.shadowOf
    ? {
        'agentmeter.shadow': true,
        'agentmeter.shadow.primary_span_id': usage.shadowOf,
        'agentmeter.shadow.propensity': 0.5,
      }
    : {}
  return {
    traceId: traceOf(taskId),
    spanId,
    parentSpanId: 'f'.repeat(16),
    name: `chat ${model}`,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 100)),
    attributes: {
      'agentmeter.span.kind': 'llm',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': taskName,
      'agentmeter.step.name': step,
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': usage.input,
      'gen_ai.usage.output_tokens': usage.output,
      'gen_ai.usage.cache_read.input_tokens': usage.cacheRead ?? 0,
      ...(usage.responseModel ? { 'gen_ai.response.model': usage.responseModel } : {}),
      ...shadow,
    },
  }
}

/**
 * An A/B period of `perModel` triage tasks per model whose classify step ran on gpt-4o or on
 * gpt-4o-mini, every task a success: the "observed" evidence a recommender needs.
 */
export function abPeriodSpans(now: Date, perModel: number): JsonSpanInput[] {
  const spans: JsonSpanInput[] = []
  for (const [m, model] of ['gpt-4o', 'gpt-4o-mini'].entries()) {
    for (let i = 0; i < perModel; i++) {
      const taskId = `ab${m}-${i}`
      const at = new Date(now.getTime() - (1 + ((i * 7 + m) % 20)) * 3_600_000)
      const spanId = (m * 10_000 + i + 1).toString(16).padStart(16, '0')
      spans.push(
        root('triage', taskId, at),
        llm('triage', taskId, spanId, 'classify', model, new Date(at.getTime() + 10), {
          input: 800,
          output: 40,
        }),
      )
    }
  }
  return spans
}
