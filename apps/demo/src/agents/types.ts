import type { LlmClients } from '../llm/dispatch'
import type { Rng } from '../prng'

/** Everything one task of an agent may use. */
export interface AgentContext extends LlmClients {
  /** This task's own random source (forked per task, so tasks do not shift each other). */
  rng: Rng
}

/** One task, prepared: what goes on its root span, and the work itself. */
export interface PreparedTask {
  attributes: Record<string, string | number | boolean>
  /** Runs inside `task()`; calls `outcome()` and returns whether the task succeeded. */
  run(): Promise<boolean>
}

/** A kind of demo agent. */
export interface Agent {
  /** Task name, e.g. `ticket-triage`. */
  name: string
  /** Draw this task's inputs and choices (models, repeats, streaming) from `context.rng`. */
  prepare(context: AgentContext): PreparedTask
}
