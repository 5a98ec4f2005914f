import { SPAN_KINDS, type SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Convention } from './convention'
import { otelGenAi } from './otel-genai'

/**
 * Spans from agentmeter's own SDK: the OTel GenAI names plus `agentmeter.*`, with the kind
 * stated outright in `agentmeter.span.kind`.
 */
export const agentmeter: Convention = {
  ...otelGenAi,
  name: 'agentmeter',
  matches: (attrs) => readString(attrs, ['agentmeter.span.kind']) !== '',
  kind(attrs, span) {
    const stated = readString(attrs, ['agentmeter.span.kind'])
    if ((SPAN_KINDS as readonly string[]).includes(stated)) return stated as SpanKind
    return otelGenAi.kind(attrs, span)
  },
  taskName: ['agentmeter.task.name', ...otelGenAi.taskName],
}
