import { createContextKey, type Context, type Span } from '@opentelemetry/api'

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
const IN_LLM_CALL = createContextKey('agentmeter.in_llm_call')

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

/** Marks the context a provider method runs in, so a nested traced method adds no second span. */
export function markInLlmCall(ctx: Context): Context {
  return ctx.setValue(IN_LLM_CALL, true)
}

export function isInLlmCall(ctx: Context): boolean {
  return ctx.getValue(IN_LLM_CALL) === true
}
