import { canonicalJson, requestSeed } from './determinism'
import type { SynthesizedResponse } from './encode'
import {
  asArray,
  asLimit,
  asRecord,
  CREATED_AT_SECONDS,
  jsonResponse,
  sseEvent,
  sseResponse,
} from './encode'
import type { PromptBlock } from './prompt'
import { contentText } from './prompt'
import type { PromptCache } from './prompt-cache'
import type { OfferedTool, Reply, ToolChoice } from './reply'
import { planReply, splitArguments, splitForStream } from './reply'

type Item = Record<string, unknown>

/**
 * A response for a `POST /v1/responses` body, shaped like `openai-responses-basic.json` (or,
 * with `stream: true`, the event sequence ending in `response.completed` that carries usage).
 */
export function synthesizeResponse(
  body: Record<string, unknown>,
  cache: PromptCache,
): SynthesizedResponse {
  const seed = requestSeed(body)
  const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini'
  const input = inputItems(body.input)
  const maxOutputTokens = asLimit(body.max_output_tokens)
  const reply = planReply({
    seed,
    model,
    lastUserText: contentText(input.findLast((item) => item.role === 'user')?.content),
    tools: offeredTools(body),
    toolChoice: toolChoice(body.tool_choice),
    hasToolResult: input.some((item) => item.type === 'function_call_output'),
    maxOutputTokens,
    textBeforeToolCall: false,
  })
  const prompt = cache.openai(model, promptBlocks(body, input))
  const output = outputItems(reply, seed)
  const response = {
    ...responseHead(body, seed, model),
    status: reply.finish === 'length' ? 'incomplete' : 'completed',
    completed_at: CREATED_AT_SECONDS + 1,
    incomplete_details: reply.finish === 'length' ? { reason: 'max_output_tokens' } : null,
    output,
    usage: {
      input_tokens: prompt.inputTokens,
      input_tokens_details: { cached_tokens: prompt.cachedTokens },
      output_tokens: reply.outputTokens,
      output_tokens_details: { reasoning_tokens: reply.reasoningTokens },
      total_tokens: prompt.inputTokens + reply.outputTokens,
    },
  }
  if (body.stream !== true) return jsonResponse(response)

  const inProgress = {
    ...responseHead(body, seed, model),
    status: 'in_progress',
    completed_at: null,
    incomplete_details: null,
    output: [],
    usage: null,
  }
  let sequence = 0
  const event = (type: string, fields: Record<string, unknown>) =>
    sseEvent({ type, sequence_number: sequence++, ...fields }, type)

  const events = [
    event('response.created', { response: inProgress }),
    event('response.in_progress', { response: inProgress }),
  ]
  output.forEach((item, index) => events.push(...itemEvents(item, index, event)))
  const last = response.status === 'completed' ? 'response.completed' : 'response.incomplete'
  events.push(event(last, { response }))
  return sseResponse(events)
}

function itemEvents(
  item: Item,
  outputIndex: number,
  event: (type: string, fields: Record<string, unknown>) => string,
): string[] {
  const at = { output_index: outputIndex }
  const itemId = { item_id: item.id, output_index: outputIndex }

  if (item.type === 'message') {
    const text = String(asRecord(asArray(item.content)[0]).text)
    const emptyPart = { type: 'output_text', annotations: [], logprobs: [], text: '' }
    const part = { ...emptyPart, text }
    const at0 = { ...itemId, content_index: 0 }
    return [
      event('response.output_item.added', {
        ...at,
        item: { ...item, status: 'in_progress', content: [] },
      }),
      event('response.content_part.added', { ...at0, part: emptyPart }),
      ...splitForStream(text).map((delta) =>
        event('response.output_text.delta', { ...at0, delta, logprobs: [] }),
      ),
      event('response.output_text.done', { ...at0, text, logprobs: [] }),
      event('response.content_part.done', { ...at0, part }),
      event('response.output_item.done', { ...at, item }),
    ]
  }
  if (item.type === 'function_call') {
    const args = String(item.arguments)
    return [
      event('response.output_item.added', {
        ...at,
        item: { ...item, status: 'in_progress', arguments: '' },
      }),
      ...splitArguments(args).map((delta) =>
        event('response.function_call_arguments.delta', { ...itemId, delta }),
      ),
      event('response.function_call_arguments.done', {
        ...itemId,
        name: item.name,
        arguments: args,
      }),
      event('response.output_item.done', { ...at, item }),
    ]
  }
  return [
    event('response.output_item.added', { ...at, item }),
    event('response.output_item.done', { ...at, item }),
  ]
}

function outputItems(reply: Reply, seed: string): Item[] {
  const items: Item[] = []
  if (reply.reasoningTokens > 0) {
    items.push({ id: `rs_replay${seed.slice(0, 32)}`, type: 'reasoning', summary: [] })
  }
  if (reply.toolCall !== undefined) {
    items.push({
      id: `fc_replay${seed.slice(8, 40)}`,
      type: 'function_call',
      status: 'completed',
      arguments: reply.toolCall.arguments,
      call_id: `call_replay${seed.slice(24, 40)}`,
      name: reply.toolCall.name,
    })
    return items
  }
  items.push({
    id: `msg_replay${seed.slice(16, 48)}`,
    type: 'message',
    status: reply.finish === 'length' ? 'incomplete' : 'completed',
    content: [{ type: 'output_text', annotations: [], logprobs: [], text: reply.text }],
    role: 'assistant',
  })
  return items
}

/** The request's settings echoed back, as the real API does. */
function responseHead(body: Record<string, unknown>, seed: string, model: string) {
  const reasoning = asRecord(body.reasoning)
  return {
    id: `resp_replay${seed.slice(0, 40)}`,
    object: 'response',
    created_at: CREATED_AT_SECONDS,
    background: false,
    error: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    safety_identifier: null,
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: asArray(body.tools),
    top_logprobs: 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    user: null,
    metadata: body.metadata ?? {},
  }
}

/** `input` as items: a bare string is one user message. */
function inputItems(input: unknown): Item[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }]
  return asArray(input).map(asRecord)
}

/** Tools, then instructions, then one block per input item. */
function promptBlocks(body: Record<string, unknown>, input: Item[]): PromptBlock[] {
  const tools = asArray(body.tools)
  const blocks: PromptBlock[] = tools.length > 0 ? [{ text: canonicalJson(tools) }] : []
  if (typeof body.instructions === 'string') blocks.push({ text: body.instructions })
  for (const item of input) {
    blocks.push({ text: contentText('content' in item ? item.content : item) })
  }
  return blocks
}

function offeredTools(body: Record<string, unknown>): OfferedTool[] {
  return asArray(body.tools)
    .map(asRecord)
    .filter((tool) => tool.type === 'function' && typeof tool.name === 'string')
    .map((tool) => ({ name: String(tool.name), parameters: tool.parameters }))
}

function toolChoice(value: unknown): ToolChoice {
  if (value === 'none') return { type: 'none' }
  if (value === 'required') return { type: 'any' }
  const named = asRecord(value)
  return named.type === 'function' && typeof named.name === 'string'
    ? { type: 'tool', name: named.name }
    : { type: 'auto' }
}
