import type { HotspotCauseName } from './truth'

/** One LLM call of a workload, with what the harness knows beyond its span (its tail text). */
export interface LlmEvent {
  kind: 'llm'
  spanId: string
  taskId: string
  taskName: string
  step: string
  at: Date
  provider: string
  model: string
  input: number
  output: number
  cacheRead: number
  requestHash: string
  responseHash: string
  prefixHashes: string[]
  prefixTokens: number[]
  systemHash: string
  minhash: string[]
  temperature?: number
  /** Text of the last message (for the near-duplicate ground truth; never posted). */
  tail: string
  /** The prompt, kept so injections can rebuild fingerprints (never posted). */
  messages: unknown[]
}

export interface ToolEvent {
  kind: 'tool'
  spanId: string
  taskId: string
  taskName: string
  step: string
  at: Date
  tool: string
  argsHash: string
  resultHash: string
  resultTokens: number
}

export type WorkloadEvent = LlmEvent | ToolEvent

/** An injected item of waste: which span, which cause, which source it belongs to. */
export interface Injection {
  cause: HotspotCauseName
  source: string
  spanId: string
}
