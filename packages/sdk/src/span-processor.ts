import type { Context } from '@opentelemetry/api'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { Agentmeter } from '@agentmeter/core'
import { getStep, getTask } from './context'
import { maskContent } from './mask'
import { safely } from './safe'
import { contentMask } from './state'

/**
 * Stamps `agentmeter.task.id`, `agentmeter.task.name` and `agentmeter.step.name` on every span
 * started inside `task()` / `step()`, whoever starts it (our client patches, the app's own spans,
 * other instrumentations). It exports nothing: pair it with an exporting processor.
 */
class AgentmeterSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    safely('stamping task attributes', () => {
      const task = getTask(parentContext)
      const step = getStep(parentContext)
      if (task) {
        setIfAbsent(span, Agentmeter.taskId, task.id)
        setIfAbsent(span, Agentmeter.taskName, task.name)
      }
      if (step !== undefined) setIfAbsent(span, Agentmeter.stepName, step)
    })
  }

  // Before the exporting processors see the span (they run after this one).
  onEnd(span: ReadableSpan): void {
    const mask = contentMask()
    if (mask) maskContent(span.attributes, mask)
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }

  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

// A span that states its own task or step (a nested task root, a step span) keeps it.
function setIfAbsent(span: Span, key: string, value: string): void {
  if (span.attributes[key] === undefined) span.setAttribute(key, value)
}

/**
 * The span processor that labels spans with their task and step, for apps that run their own
 * `NodeSDK`: add it before the exporting processor, and add `agentmeterInstrumentations()`.
 */
export function createAgentmeterSpanProcessor(): SpanProcessor {
  return new AgentmeterSpanProcessor()
}
