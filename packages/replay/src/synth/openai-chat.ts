import { canonicalJson, requestSeed } from './determinism'
import type { SynthesizedResponse } from './encode'
import {
  asArray,
  asLimit,
  asRecord,
  CREATED_AT_SECONDS,
  jsonResponse,
  SSE_DONE,
  sseEvent,
  sseResponse,
} from './encode'
import type { PromptBlock } from './prompt'
import { contentText } from './prompt'
import type { PromptCache } from './prompt-cache'
import type { OfferedTool, Reply, ToolChoice } from './reply'
import { planReply, splitArguments, splitForStream } from './reply'

/**
 * A chat completion for a `POST /v1/chat/completions` body, shaped like
 * `openai-chat-basic.json` (or, with `stream: true`, `openai-chat-stream-include-usage.sse`).
 */
export function synthesizeChatCompletion(
  body: Record<string, unknown>,
  cache: PromptCache,
): SynthesizedResponse {
  const seed = requestSeed(body)
  const model = typeof body.model === 'string' ? body.model : 'gpt-4o-mini'
  const messages = asArray(body.messages).map(asRecord)
  const reply = planReply({
    seed,
    model,
    lastUserText: contentText(messages.findLast((m) => m.role === 'user')?.content),
    tools: offeredTools(body),
    toolChoice: toolChoice(body.tool_choice),
    hasToolResult: messages.some((m) => m.role === 'tool' || m.role === 'function'),
    maxOutputTokens: asLimit(body.max_completion_tokens) ?? asLimit(body.max_tokens),
    textBeforeToolCall: false,
  })
  const input = cache.openai(model, promptBlocks(body, messages))
  const usage = {
    prompt_tokens: input.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: input.inputTokens + reply.outputTokens,
    prompt_tokens_details: { cached_tokens: input.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reply.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
  const head = {
    id: `chatcmpl-replay${seed.slice(0, 24)}`,
    created: CREATED_AT_SECONDS,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_replay',
  }
  const toolCallId = `call_replay${seed.slice(24, 40)}`

  if (body.stream !== true) {
    const message = {
      role: 'assistant',
      content: reply.toolCall === undefined ? reply.text : null,
      refusal: null,
      annotations: [],
      ...(reply.toolCall && {
        tool_calls: [
          {
            id: toolCallId,
            type: 'function',
            function: { name: reply.toolCall.name, arguments: reply.toolCall.arguments },
          },
        ],
      }),
    }
    return jsonResponse({
      ...head,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply) }],
      usage,
    })
  }

  const includeUsage = asRecord(body.stream_options).include_usage === true
  const chunk = (delta: unknown, finish: string | null = null) =>
    sseEvent({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage && { usage: null }),
    })
  const events = [...deltaChunks(reply, toolCallId, chunk), chunk({}, finishReason(reply))]
  if (includeUsage) {
    events.push(sseEvent({ ...head, object: 'chat.completion.chunk', choices: [], usage }))
  }
  events.push(SSE_DONE)
  return sseResponse(events)
}

function deltaChunks(
  reply: Reply,
  toolCallId: string,
  chunk: (delta: unknown) => string,
): string[] {
  if (reply.toolCall === undefined) {
    return [
      chunk({ role: 'assistant', content: '', refusal: null }),
      ...splitForStream(reply.text).map((content) => chunk({ content })),
    ]
  }
  const { name } = reply.toolCall
  const opening = { index: 0, id: toolCallId, type: 'function', function: { name, arguments: '' } }
  return [
    chunk({ role: 'assistant', content: null, tool_calls: [opening], refusal: null }),
    ...splitArguments(reply.toolCall.arguments).map((piece) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }),
    ),
  ]
}

/** Tools first (their schemas are part of the prompt), then one block per message. */
function promptBlocks(
  body: Record<string, unknown>,
  messages: Record<string, unknown>[],
): PromptBlock[] {
  const tools = asArray(body.tools ?? body.functions)
  const blocks: PromptBlock[] = tools.length > 0 ? [{ text: canonicalJson(tools) }] : []
  for (const message of messages) {
    const calls = message.tool_calls ?? message.function_call
    blocks.push({ text: `${contentText(message.content)}${contentText(calls)}` })
  }
  return blocks
}

function offeredTools(body: Record<string, unknown>): OfferedTool[] {
  const tools = asArray(body.tools)
    .map(asRecord)
    .filter((tool) => tool.type === 'function')
    .map((tool) => asRecord(tool.function))
  // Legacy `functions` still count as prompt, but get a text answer: the synthesizer speaks
  // only the `tool_calls` shape.
  return tools
    .filter((fn) => typeof fn.name === 'string')
    .map((fn) => ({ name: String(fn.name), parameters: fn.parameters }))
}

function toolChoice(value: unknown): ToolChoice {
  if (value === 'none') return { type: 'none' }
  if (value === 'required') return { type: 'any' }
  const named = asRecord(value)
  const name = asRecord(named.function).name ?? named.name
  return typeof name === 'string' ? { type: 'tool', name } : { type: 'auto' }
}

function finishReason(reply: Reply): string {
  if (reply.finish === 'tool_call') return 'tool_calls'
  return reply.finish
}
