import type { RunningCollector } from '@agentmeter/collector'
import { expect } from 'vitest'

/**
 * Asserts that every acknowledged trace is stored exactly once in a restarted collector: each
 * with `spansPerTrace` rows and as many distinct span ids (deduplicated by FINAL), and listed
 * through the API as one task with all its calls.
 */
export async function expectAcknowledgedOnce(
  collector: RunningCollector,
  apiKey: string,
  acknowledged: string[],
  spansPerTrace: number,
): Promise<void> {
  const result = await collector.client.query({
    query: `SELECT trace_id, toUInt64(count()) AS spans, toUInt64(uniqExact(span_id)) AS ids
      FROM spans FINAL WHERE trace_id IN {traces:Array(String)} GROUP BY trace_id`,
    query_params: { traces: acknowledged },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ trace_id: string; spans: string; ids: string }>()
  expect(rows.map((row) => row.trace_id).sort()).toEqual([...acknowledged].sort())
  for (const row of rows) {
    expect({ trace: row.trace_id, spans: Number(row.spans), ids: Number(row.ids) }).toEqual({
      trace: row.trace_id,
      spans: spansPerTrace,
      ids: spansPerTrace,
    })
  }

  const from = new Date(Date.now() - 3_600_000).toISOString()
  const response = await fetch(
    `${collector.url}/api/v1/tasks?from=${from}&to=${new Date().toISOString()}&limit=1000`,
    { headers: { authorization: `Bearer ${apiKey}` } },
  )
  const { tasks } = (await response.json()) as { tasks: { taskId: string; llmCalls: number }[] }
  const calls = new Map(tasks.map((task) => [task.taskId, task.llmCalls]))
  for (const traceId of acknowledged) expect(calls.get(traceId)).toBe(spansPerTrace)
}
