import { canonicalJson, requestSeed } from './determinism'
import type { SynthesizedResponse } from './encode'
import { asArray, asLimit, asRecord, jsonResponse, sseEvent, sseResponse } from './encode'
import type { PromptBlock } from './prompt'
import { cacheTtl, contentText, withoutCacheControl } from './prompt'
import type { PromptCache } from './prompt-cache'
import type { OfferedTool, Reply, ToolChoice } from './reply'
import { planReply, splitArguments, splitForStream } from './reply'

type Block = Record<string, unknown>

/**
 * A message for a `POST /v1/messages` body, shaped like `anthropic-messages-basic.json` (or,
 * with `stream: true`, like `anthropic-messages-stream-tool-use.sse`: input and cache counts in
 * `message_start` and again, with the final output count, in `message_delta`).
 */
export function synthesizeMessage(
  body: Record<string, unknown>,
  cache: PromptCache,
): SynthesizedResponse {
  const seed = requestSeed(body)
  const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5'
  const messages = asArray(body.messages).map(asRecord)
  const userBlocks = messages.filter((m) => m.role === 'user').map((m) => contentBlocks(m.content))
  const reply = planReply({
    seed,
    model,
    lastUserText: lastUserText(userBlocks),
    tools: offeredTools(body),
    toolChoice: toolChoice(body.tool_choice),
    hasToolResult: userBlocks.some((blocks) => blocks.some((b) => b.type === 'tool_result')),
    maxOutputTokens: asLimit(body.max_tokens),
    textBeforeToolCall: true,
  })
  const input = cache.anthropic(model, promptBlocks(body, messages))
  const inputUsage = {
    input_tokens: input.inputTokens,
    cache_creation_input_tokens: input.cacheWriteTokens,
    cache_read_input_tokens: input.cacheReadTokens,
  }
  const usage = {
    ...inputUsage,
    cache_creation: {
      ephemeral_5m_input_tokens: input.cacheWrite5mTokens,
      ephemeral_1h_input_tokens: input.cacheWrite1hTokens,
    },
    output_tokens: reply.outputTokens,
    service_tier: 'standard',
  }
  const content = replyContent(reply, seed)
  const head = { id: `msg_replay${seed.slice(0, 24)}`, type: 'message', role: 'assistant', model }

  if (body.stream !== true) {
    return jsonResponse({
      ...head,
      content,
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage,
    })
  }

  const events = [
    sseEvent(
      {
        type: 'message_start',
        message: {
          ...head,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
      'message_start',
    ),
  ]
  content.forEach((block, index) => events.push(...blockEvents(block, index)))
  events.push(
    sseEvent(
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(reply), stop_sequence: null },
        usage: { ...inputUsage, output_tokens: reply.outputTokens },
      },
      'message_delta',
    ),
    sseEvent({ type: 'message_stop' }, 'message_stop'),
  )
  return sseResponse(events)
}

function blockEvents(block: Block, index: number): string[] {
  const event = (data: Record<string, unknown>) => sseEvent(data, String(data.type))
  const isText = block.type === 'text'
  const start = isText ? { type: 'text', text: '' } : { ...block, input: {} }
  const deltas = isText
    ? splitForStream(String(block.text)).map((text) => ({ type: 'text_delta', text }))
    : splitArguments(JSON.stringify(block.input)).map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }))
  return [
    event({ type: 'content_block_start', index, content_block: start }),
    ...(index === 0 ? [event({ type: 'ping' })] : []),
    ...deltas.map((delta) => event({ type: 'content_block_delta', index, delta })),
    event({ type: 'content_block_stop', index }),
  ]
}

function replyContent(reply: Reply, seed: string): Block[] {
  const content: Block[] = []
  if (reply.text !== '') content.push({ type: 'text', text: reply.text })
  if (reply.toolCall !== undefined) {
    content.push({
      type: 'tool_use',
      id: `toolu_replay${seed.slice(24, 44)}`,
      name: reply.toolCall.name,
      input: reply.toolCall.input,
    })
  }
  return content
}

/** Anthropic caches tools, then system, then messages; a `cache_control` marks a breakpoint. */
function promptBlocks(body: Record<string, unknown>, messages: Block[]): PromptBlock[] {
  const blocks: PromptBlock[] = []
  const add = (text: string, source: unknown) => {
    const cache = cacheTtl(source)
    blocks.push(cache === undefined ? { text } : { text, cache })
  }
  for (const tool of asArray(body.tools).map(asRecord)) {
    add(canonicalJson(withoutCacheControl(tool)), tool)
  }
  for (const block of contentBlocks(body.system)) add(contentText(block), block)
  for (const message of messages) {
    for (const block of contentBlocks(message.content)) add(contentText(block), block)
  }
  return blocks
}

/** String content as one text block, block arrays as they are. */
function contentBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  return asArray(content).map(asRecord)
}

function lastUserText(userBlocks: Block[][]): string {
  for (let i = userBlocks.length - 1; i >= 0; i--) {
    const text = userBlocks[i]!.filter((b) => b.type === 'text')
      .map(contentText)
      .join('\n')
    if (text !== '') return text
  }
  return ''
}

/** Client tools only: server tools (web search, code execution) run on Anthropic's side. */
function offeredTools(body: Record<string, unknown>): OfferedTool[] {
  return asArray(body.tools)
    .map(asRecord)
    .filter((tool) => (tool.type === undefined || tool.type === 'custom') && 'input_schema' in tool)
    .map((tool) => ({ name: String(tool.name), parameters: tool.input_schema }))
}

function toolChoice(value: unknown): ToolChoice {
  const choice = asRecord(value)
  if (choice.type === 'none') return { type: 'none' }
  if (choice.type === 'any') return { type: 'any' }
  if (choice.type === 'tool' && typeof choice.name === 'string') {
    return { type: 'tool', name: choice.name }
  }
  return { type: 'auto' }
}

function stopReason(reply: Reply): string {
  if (reply.finish === 'tool_call') return 'tool_use'
  return reply.finish === 'length' ? 'max_tokens' : 'end_turn'
}
