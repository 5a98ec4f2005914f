import type { ClickHouseClient } from '@clickhouse/client'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './otlp-json'

/** Spans in each batch of `sendTaskBatch`: a task root and its chat calls. */
export const SPANS_PER_BATCH = 20

export interface SentBatch {
  traceId: string
  status: number
  retryAfter: string | null
  message: string
}

/**
 * Posts one OTLP/JSON batch of a new trace (`trace` numbers it): a task root and 19 priced chat
 * calls, a minute old. What the collector answered comes back with the trace id.
 */
export async function sendTaskBatch(url: string, key: string, trace: number): Promise<SentBatch> {
  const traceId = trace.toString(16).padStart(32, '0')
  const start = Date.now() - 60_000
  const spans = Array.from({ length: SPANS_PER_BATCH }, (_, i): JsonSpanInput => ({
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: i === 0 ? '' : '0000000000000001',
    name: i === 0 ? 'invoke_agent triage' : 'chat gpt-4o-mini',
    startTimeUnixNano: toUnixNano(new Date(start + i)),
    endTimeUnixNano: toUnixNano(new Date(start + i + 1)),
    attributes:
      i === 0
        ? { 'agentmeter.task.name': 'triage', 'agentmeter.span.kind': 'task' }
        : {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
          },
  }))
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(spans),
  })
  const body = (await response.json()) as { message?: string }
  return {
    traceId,
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    message: body.message ?? '',
  }
}

/** One unlabelled sample of the collector's `/metrics` (NaN when it is absent). */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? NaN)
}

/** Waits until the spool holds no batch, or fails after `timeoutMillis`. */
export async function waitForDrainedSpool(url: string, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis
  while ((await metricValue(url, 'agentmeter_spool_batches')) > 0) {
    if (Date.now() > deadline) throw new Error('the spool did not drain')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Rows, distinct spans and distinct traces in `spans` (deduplicated by FINAL). */
export async function storedTraces(
  client: ClickHouseClient,
): Promise<{ rows: number; spans: number; traces: string[] }> {
  const result = await client.query({
    query: `SELECT toUInt64(count()) AS rows, toUInt64(uniqExact(trace_id, span_id)) AS spans,
        arraySort(groupUniqArray(trace_id)) AS traces
      FROM spans FINAL`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ rows: string; spans: string; traces: string[] }>()
  return { rows: Number(row!.rows), spans: Number(row!.spans), traces: row!.traces }
}
