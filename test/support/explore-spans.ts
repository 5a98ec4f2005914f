import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './otlp-json'

/**
 * Six tasks with hand-computed costs for the Explore routes (gpt-4o at $2.50 / $10 per million,
 * gpt-4o-mini at $0.15 / $0.60), placed relative to `now`:
 * - `triage` t1 (success) and t2 (failure), 3 h ago, release 1.0: one gpt-4o call of 1000 in /
 *   500 out each, $0.0075 a task.
 * - `triage` t3 (2 such calls, $0.015) and t4 (2000 in / 500 out, $0.01), 30 min ago, release 1.1.
 * - `report` t5, 20 min ago, service svc-b, staging, team research, customer acme (a span
 *   attribute on its root), step `summarize`: gpt-4o-mini 22 in / 3 out, $0.0000051.
 * - `mystery` t6, 10 min ago: one call to an unknown model (unpriced).
 * Every `triage` task belongs to team support in prod on svc-a.
 */
export const EXPLORE_COSTS = {
  previousTriage: 0.015,
  currentTriage: 0.025,
  report: 0.0000051,
  total: 0.0400051,
}

export interface ExploreBatch {
  body: string
  /** Start of each task, for the test to place today / month-to-date. */
  starts: Record<string, Date>
}

function spanPair(
  now: Date,
  taskId: string,
  name: string,
  minutesAgo: number,
  outcome: 'success' | 'failure',
  calls: Array<{ model: string; input: number; output: number; step?: string }>,
  rootAttributes: Record<string, string> = {},
): JsonSpanInput[] {
  const start = new Date(now.getTime() - minutesAgo * 60_000)
  const traceId = taskId.padEnd(32, '0')
  const root: JsonSpanInput = {
    traceId,
    spanId: `${taskId}`.padEnd(16, 'f'),
    name,
    kind: 1,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 5_000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': name,
      'agentmeter.task.outcome': outcome,
      ...rootAttributes,
    },
  }
  return [
    root,
    ...calls.map((call, index) => ({
      traceId,
      spanId: `${taskId}${index}`.padEnd(16, '0'),
      parentSpanId: root.spanId,
      name: `chat ${call.model}`,
      startTimeUnixNano: toUnixNano(new Date(start.getTime() + 100 + index * 100)),
      endTimeUnixNano: toUnixNano(new Date(start.getTime() + 150 + index * 100)),
      attributes: {
        'agentmeter.span.kind': 'llm',
        'agentmeter.task.id': taskId,
        'agentmeter.task.name': name,
        ...(call.step ? { 'agentmeter.step.name': call.step } : {}),
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': call.model,
        'gen_ai.usage.input_tokens': call.input,
        'gen_ai.usage.output_tokens': call.output,
      },
    })),
  ]
}

/** The OTLP/JSON bodies of the data set (one per resource) and the tasks' start times. */
export function createExploreBatches(now: Date): ExploreBatch[] {
  const gpt4o = { model: 'gpt-4o', input: 1000, output: 500, step: 'classify' }
  const support = { 'deployment.environment.name': 'prod', team: 'support' }
  const starts = (ids: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(ids).map(([id, minutes]) => [id, new Date(now.getTime() - minutes * 60_000)]),
    )
  return [
    {
      body: createOtlpJsonBody(
        [
          ...spanPair(now, 'ee01', 'triage', 180, 'success', [gpt4o]),
          ...spanPair(now, 'ee02', 'triage', 179, 'failure', [gpt4o]),
        ],
        'svc-a',
        { ...support, 'service.version': '1.0' },
      ),
      starts: starts({ ee01: 180, ee02: 179 }),
    },
    {
      body: createOtlpJsonBody(
        [
          ...spanPair(now, 'ee03', 'triage', 30, 'success', [gpt4o, gpt4o]),
          ...spanPair(now, 'ee04', 'triage', 29, 'success', [{ ...gpt4o, input: 2000 }]),
          ...spanPair(now, 'ee06', 'mystery', 10, 'success', [
            { model: 'acme-9000', input: 10, output: 10 },
          ]),
        ],
        'svc-a',
        { ...support, 'service.version': '1.1' },
      ),
      starts: starts({ ee03: 30, ee04: 29, ee06: 10 }),
    },
    {
      body: createOtlpJsonBody(
        spanPair(
          now,
          'ee05',
          'report',
          20,
          'success',
          [{ model: 'gpt-4o-mini', input: 22, output: 3, step: 'summarize' }],
          { 'customer.id': 'acme' },
        ),
        'svc-b',
        { 'deployment.environment.name': 'staging', team: 'research', 'service.version': '2.0' },
      ),
      starts: starts({ ee05: 20 }),
    },
  ]
}

/** Posts the data set to a collector's OTLP endpoint; throws unless every batch is accepted. */
export async function ingestExploreBatches(
  url: string,
  apiKey: string,
  now: Date,
): Promise<ExploreBatch[]> {
  const batches = createExploreBatches(now)
  for (const batch of batches) {
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: batch.body,
    })
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
  }
  return batches
}
