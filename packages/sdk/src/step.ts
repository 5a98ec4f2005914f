import { context, SpanKind, trace } from '@opentelemetry/api'
import { Agentmeter } from '@agentmeter/core'
import { withStep } from './context'
import { safely } from './safe'
import { getTracer } from './state'
import { recordError } from './task'

/**
 * Runs `fn` as a named step of the current task, e.g. `classify`. The step's span has
 * `agentmeter.span.kind=agent` (a unit of the agent's own logic, as opposed to an `llm` or `tool`
 * call) and `agentmeter.step.name = name`, and every span started inside it is stamped with
 * `agentmeter.step.name` too, which is how calls are grouped by step. The innermost step wins.
 * Errors are recorded on the span and rethrown. Without `init()` this is a plain call of `fn`.
 */
export async function step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const started = safely('starting a step span', () => {
    const parent = context.active()
    const span = getTracer().startSpan(
      `step ${name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: { [Agentmeter.spanKind]: 'agent', [Agentmeter.stepName]: name },
      },
      parent,
    )
    return { span, context: withStep(trace.setSpan(parent, span), name, span) }
  })
  if (!started) return fn()

  try {
    const result = await context.with(started.context, fn)
    safely('ending a step span', () => started.span.end())
    return result
  } catch (error) {
    safely('ending a failed step span', () => {
      recordError(started.span, error)
      started.span.end()
    })
    throw error
  }
}
