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

/**
 * How many traced provider methods are running synchronously right now. A traced method called
 * from inside another (`parse` calling `create`, an instance's wrapper over a patched
 * prototype) runs synchronously inside the outer one, so a counter sees the re-entry, and the
 * nested call adds no second span. A counter rather than a mark in the OTel context: reading the
 * context and keeping a set of our spans cost every call more than the counter does.
 */
let running = 0

export function isInLlmCall(): boolean {
  return running > 0
}

/** Marks the start of a traced method's synchronous run; pair with `leaveLlmCall` in `finally`. */
export function enterLlmCall(): void {
  running++
}

export function leaveLlmCall(): void {
  running--
}

/** The context a provider method runs in: its LLM span active, so nested spans parent to it. */
export function llmCallContext(parent: Context, span: Span): Context {
  return trace.setSpan(parent, span)
}
