import { createContextKey, trace, type Context, type Span } from '@opentelemetry/api'

/** The task a piece of work belongs to, carried in the OTel context by `task()`. */
export interface TaskRecord {
  id: string
  name: string
  /** The task's root span, where `outcome()` writes. */
  span: Span
  outcomeSet: boolean
}

const TASK = createContextKey('agentmeter.task')
const STEP = createContextKey('agentmeter.step')
const STEP_SPAN = createContextKey('agentmeter.step_span')

export function getTask(ctx: Context): TaskRecord | undefined {
  return ctx.getValue(TASK) as TaskRecord | undefined
}

export function withTask(ctx: Context, task: TaskRecord): Context {
  // A new task starts without the enclosing task's step.
  return ctx.setValue(TASK, task).deleteValue(STEP).deleteValue(STEP_SPAN)
}

export function getStep(ctx: Context): string | undefined {
  return ctx.getValue(STEP) as string | undefined
}

/** Enters a step; `span` is the step's own span, where `stepScore()` writes. */
export function withStep(ctx: Context, step: string, span?: Span): Context {
  const named = ctx.setValue(STEP, step)
  return span ? named.setValue(STEP_SPAN, span) : named.deleteValue(STEP_SPAN)
}

export function getStepSpan(ctx: Context): Span | undefined {
  return ctx.getValue(STEP_SPAN) as Span | undefined
}

/** The LLM spans our traced methods started; a weak set, so ended spans are not kept. */
const llmSpans = new WeakSet<Span>()

/**
 * The context a provider method runs in: its LLM span active, and known as one, so a nested
 * traced method (`parse` calling `create`) adds no second span. One context, not two: each
 * `setValue` copies the context's map.
 */
export function llmCallContext(parent: Context, span: Span): Context {
  llmSpans.add(span)
  return trace.setSpan(parent, span)
}

export function isInLlmCall(ctx: Context): boolean {
  const span = trace.getSpan(ctx)
  return span !== undefined && llmSpans.has(span)
}
