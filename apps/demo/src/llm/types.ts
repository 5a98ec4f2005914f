/** A tool the demo agents offer to models and run locally (always a fake, never the network). */
export interface DemoTool {
  name: string
  description: string
  /** JSON schema of the arguments. */
  parameters: { type: 'object'; properties: Record<string, unknown>; required: string[] }
  run(args: Record<string, unknown>): unknown
}

/** One model call that should answer with text. */
export interface TextRequest {
  model: string
  system: string
  user: string
  /** Stream the answer (with usage requested where the API needs asking). */
  stream?: boolean
  maxTokens?: number
}

/** One tool round trip: the model calls `use`, the app runs it, the model answers. */
export interface ToolRequest extends TextRequest {
  /** Every tool the agent has; all are offered, `use` is forced. */
  tools: readonly DemoTool[]
  use: string
}

/** What a tool round trip gives back. */
export interface ToolRoundTrip {
  result: unknown
  text: string
}

/** The tool named `name` of `tools`. */
export function findTool(tools: readonly DemoTool[], name: string): DemoTool {
  const found = tools.find((t) => t.name === name)
  if (found === undefined) throw new Error(`agent has no tool named ${name}`)
  return found
}

/** Tool-call arguments as an object; malformed JSON from a model becomes `{}`. */
export function parseArguments(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json)
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
