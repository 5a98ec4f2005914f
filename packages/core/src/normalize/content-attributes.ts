/**
 * Attributes that carry prompt or completion text in the conventions we read. They are not
 * stored unless content capture is on: agentmeter keeps fingerprints of content, not content.
 */
const CONTENT_KEYS = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.tool.definitions',
  'input.value',
  'output.value',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.prompt.tools',
  'ai.response.text',
  'ai.response.toolCalls',
  'ai.response.object',
  'ai.response.reasoning',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'traceloop.entity.input',
  'traceloop.entity.output',
  'langfuse.observation.input',
  'langfuse.observation.output',
  'langfuse.trace.input',
  'langfuse.trace.output',
  'pydantic_ai.all_messages',
  'final_result',
  'tool_arguments',
  'tool_response',
  // AI SDK embedding inputs and vectors, Anthropic client tool results (content mode).
  'ai.value',
  'ai.values',
  'ai.embedding',
  'ai.embeddings',
  'anthropic.tool_result.content',
])

const CONTENT_PREFIXES = [
  'gen_ai.prompt.',
  'gen_ai.completion.',
  'llm.input_messages.',
  'llm.output_messages.',
  'llm.prompts',
  'llm.prompt_template.',
  // OpenInference embedded texts and retrieved documents.
  'embedding.embeddings.',
  'retrieval.documents.',
]

// Attribute keys repeat from span to span (a few hundred distinct ones in practice), and the
// answer is asked for every attribute of every span: remembered per key, the prefix scan runs
// once per key instead of once per attribute. Bounded, so that keys made up per span (an index
// in the name) cannot grow it without limit.
const KNOWN = new Map<string, boolean>()
const MAX_KNOWN = 4096

export function isContentAttribute(key: string): boolean {
  const known = KNOWN.get(key)
  if (known !== undefined) return known
  const content = CONTENT_KEYS.has(key) || CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix))
  if (KNOWN.size >= MAX_KNOWN) KNOWN.clear()
  KNOWN.set(key, content)
  return content
}
