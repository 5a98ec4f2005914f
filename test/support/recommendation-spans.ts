import { llmCallSpan, type LlmCallInput } from './hotspot-spans'
import { toUnixNano, type JsonSpanInput } from './otlp-json'

export { postSpans } from './otlp-json'

/** A task root with its outcome, as any OTLP client posts it. */
export function outcomeRootSpan(
  taskId: string,
  taskName: string,
  at: Date,
  outcome: 'success' | 'failure',
): JsonSpanInput {
  return {
    traceId: traceIdOf(taskId),
    spanId: 'f'.repeat(16),
    name: taskName,
    kind: 1,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 60_000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': taskName,
      'agentmeter.task.outcome': outcome,
    },
  }
}

/** A shadow call of `primarySpanId` on a candidate model, with its propensity and verdict. */
export function shadowCallSpan(
  call: LlmCallInput,
  shadow: { primarySpanId: string; propensity: number; score?: number; match?: boolean },
): JsonSpanInput {
  const span = llmCallSpan(call)
  span.attributes['agentmeter.shadow'] = true
  span.attributes['agentmeter.shadow.primary_span_id'] = shadow.primarySpanId
  span.attributes['agentmeter.shadow.propensity'] = shadow.propensity
  if (shadow.score !== undefined) span.attributes['agentmeter.shadow.score'] = shadow.score
  if (shadow.match !== undefined) span.attributes['agentmeter.shadow.match'] = shadow.match
  return span
}

/** The trace id `llmCallSpan` derives from a task id. */
function traceIdOf(taskId: string): string {
  return Buffer.from(taskId).toString('hex').padEnd(32, '0').slice(0, 32)
}
