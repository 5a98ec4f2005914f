import { randomUUID } from 'node:crypto'
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api'
import { Agentmeter } from '@agentmeter/core'
import { getTask, withTask, type TaskRecord } from './context'
import { log } from './state'
import { describeError, isAbortError, safely } from './safe'
import { getTracer } from './state'

/** Attribute values `task()` accepts for its root span. */
export type TaskAttributes = Record<string, string | number | boolean>

/**
 * Runs `fn` as one task: a root span (`agentmeter.span.kind=task`) with a new random
 * `agentmeter.task.id` and `agentmeter.task.name = name`, active while `fn` runs, so that every
 * span started inside is stamped with the task (see `createAgentmeterSpanProcessor`). An
 * `agentmeter.task.id` in `attrs` replaces the random id (for ids the app already has).
 *
 * When `fn` throws, the span ends with an error status and outcome `failure` (unless `outcome()`
 * was called) and the error is rethrown. Without `init()` this is a plain call of `fn`.
 */
export async function task<T>(
  name: string,
  fn: () => T | Promise<T>,
  attrs?: TaskAttributes,
): Promise<T> {
  const started = safely('starting a task span', () => startTask(name, attrs))
  if (!started) return fn()

  const { span, record } = started
  try {
    const result = await context.with(started.context, fn)
    safely('ending a task span', () => span.end())
    return result
  } catch (error) {
    safely('ending a failed task span', () => {
      if (!record.outcomeSet) span.setAttribute(Agentmeter.taskOutcome, 'failure')
      recordError(span, error)
      span.end()
    })
    throw error
  }
}

/**
 * Sets the outcome of the enclosing task on its root span: `agentmeter.task.outcome`
 * (`success` / `failure`) and, when given, `agentmeter.task.score` (a quality score in [0, 1]).
 * Outside a task it does nothing. A later call overrides an earlier one.
 */
export function outcome(success: boolean, score?: number): void {
  safely('recording a task outcome', () => {
    const record = getTask(context.active())
    if (!record) {
      log.debug('outcome() was called outside task(); ignored')
      return
    }
    record.outcomeSet = true
    record.span.setAttribute(Agentmeter.taskOutcome, success ? 'success' : 'failure')
    if (score === undefined) return
    if (!Number.isFinite(score)) {
      log.warn(`outcome() got a score of ${score}; expected a number in [0, 1]; not recorded`)
      return
    }
    if (score < 0 || score > 1) log.warn(`outcome() got a score of ${score}, outside [0, 1]`)
    record.span.setAttribute(Agentmeter.taskScore, score)
  })
}

function startTask(name: string, attrs: TaskAttributes | undefined) {
  const given = attrs?.[Agentmeter.taskId]
  const id = typeof given === 'string' && given !== '' ? given : randomUUID()
  const parent = context.active()
  const span = getTracer().startSpan(
    `task ${name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        ...attrs,
        [Agentmeter.spanKind]: 'task',
        [Agentmeter.taskId]: id,
        [Agentmeter.taskName]: name,
      },
    },
    parent,
  )
  const record: TaskRecord = { id, name, span, outcomeSet: false }
  return { span, record, context: withTask(trace.setSpan(parent, span), record) }
}

/**
 * Marks `span` as failed by `error`: the status message is the error's own (`aborted` for an
 * abort, whatever layer raised it); no payload is added.
 */
export function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error)
  const message = isAbortError(error) ? 'aborted' : describeError(error)
  span.setStatus({ code: SpanStatusCode.ERROR, message })
}
