import { mapAnthropicUsage, mergeAnthropicStreamUsage } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from '../llm/content'
import type { RequestCounts } from '@agentmeter/core'
import { ToolCallBuilder, type CallOutcome, type StreamReader } from '../llm/outcome'
import { captureRequestFingerprint } from '../llm/fingerprint'
import { MessagesContentAccumulator, messagesResponseContent } from '../llm/response-content'
import { requestAttributes, serverOf } from '../llm/request'
import { asArray, asRecord, asString } from '../llm/shape'
import type { CallAdapter } from '../llm/traced-method'
import { captureContent } from '../state'
import { withoutClientSpans } from './client-spans'

/** Content blocks that are tool calls the model made (client-side or run by the server). */
const TOOL_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use'])

/** `messages.create` (and through it `messages.stream()` and `messages.parse`). */
export const messagesAdapter: CallAdapter = {
  client: 'anthropic',
  runOriginal: withoutClientSpans,
  describe(self, raw) {
    const body = asRecord(raw)
    const attributes = requestAttributes(body, serverOf(self))
    const fingerprint = captureRequestFingerprint(body, 'anthropic-messages')
    if (captureContent()) {
      if (body?.['messages'] !== undefined) {
        attributes[SdkAttr.inputMessages] = toJson(body['messages'])
      }
      if (body?.['system'] != null) attributes[SdkAttr.systemInstructions] = toJson(body['system'])
    }
    return {
      provider: 'anthropic',
      requestModel: asString(body?.['model']) ?? '',
      stream: body?.['stream'] === true,
      attributes,
      fingerprint: fingerprint ?? null,
    }
  },
  readResponse: readMessage,
  responseContent: messagesResponseContent,
  createStreamReader: (keepContent, hashContent) =>
    new MessagesStreamReader(keepContent, hashContent),
}

/** A whole `Message`. Thinking tokens are inside its `output_tokens`. */
export function readMessage(data: unknown, keepContent = captureContent()): CallOutcome {
  const body = asRecord(data)
  const calls = new ToolCallBuilder(keepContent)
  let text = ''
  asArray(body?.['content']).forEach((entry, index) => {
    const block = asRecord(entry)
    const type = asString(block?.['type'])
    if (type && TOOL_BLOCKS.has(type)) {
      calls.start(index, asString(block?.['id']), asString(block?.['name']))
      if (keepContent) calls.replaceArguments(index, toJson(block?.['input'] ?? {}))
    }
    if (keepContent && type === 'text') text += asString(block?.['text']) ?? ''
  })
  const stopReason = asString(body?.['stop_reason'])
  return {
    responseModel: asString(body?.['model']),
    responseId: asString(body?.['id']),
    finishReasons: stopReason ? [stopReason] : [],
    usage: mapAnthropicUsage(body?.['usage']),
    usageFinal: true,
    toolCalls: calls.list(),
    requests: serverToolRequests(body?.['usage']),
    ...(keepContent ? { text } : {}),
  }
}

/**
 * A Messages stream. `message_start` brings the first usage (input known, output 1 or so); each
 * `message_delta` updates the fields it carries (core's `mergeAnthropicStreamUsage`). A stream cut
 * before its `message_delta` keeps the start counts, marked partial by the call.
 */
export class MessagesStreamReader implements StreamReader {
  #model: string | undefined
  #id: string | undefined
  #usage: Record<string, unknown> | null = null
  #sawFinalUsage = false
  #stopReason: string | undefined
  #text = ''
  readonly #calls: ToolCallBuilder
  readonly #hashed: MessagesContentAccumulator | undefined

  constructor(
    private readonly keepContent: boolean,
    hashContent = false,
  ) {
    this.#calls = new ToolCallBuilder(keepContent)
    if (hashContent) this.#hashed = new MessagesContentAccumulator()
  }

  add(raw: unknown): void {
    const event = asRecord(raw)
    switch (event?.['type']) {
      case 'message_start': {
        const message = asRecord(event['message'])
        this.#model ??= asString(message?.['model'])
        this.#id ??= asString(message?.['id'])
        this.#usage = mergeAnthropicStreamUsage(this.#usage, message?.['usage'])
        break
      }
      case 'content_block_start': {
        const block = asRecord(event['content_block'])
        if (block) this.#hashed?.start(blockIndex(event), block)
        const type = asString(block?.['type'])
        if (type && TOOL_BLOCKS.has(type)) {
          this.#calls.start(blockIndex(event), asString(block?.['id']), asString(block?.['name']))
        }
        break
      }
      case 'content_block_delta': {
        const delta = asRecord(event['delta'])
        if (delta?.['type'] === 'input_json_delta' || delta?.['type'] === 'text_delta') {
          this.#hashed?.append(blockIndex(event), delta['partial_json'] ?? delta['text'])
        }
        if (delta?.['type'] === 'input_json_delta') {
          this.#calls.appendArguments(blockIndex(event), delta['partial_json'])
        } else if (this.keepContent && delta?.['type'] === 'text_delta') {
          this.#text += asString(delta['text']) ?? ''
        }
        break
      }
      case 'message_delta': {
        this.#stopReason = asString(asRecord(event['delta'])?.['stop_reason']) ?? this.#stopReason
        if (asRecord(event['usage'])) {
          this.#usage = mergeAnthropicStreamUsage(this.#usage, event['usage'])
          this.#sawFinalUsage = true
        }
        break
      }
    }
  }

  outcome(): CallOutcome {
    return {
      responseModel: this.#model,
      responseId: this.#id,
      finishReasons: this.#stopReason ? [this.#stopReason] : [],
      usage: this.#usage ? mapAnthropicUsage(this.#usage) : null,
      usageFinal: this.#sawFinalUsage,
      toolCalls: this.#calls.list(),
      requests: serverToolRequests(this.#usage),
      ...(this.keepContent ? { text: this.#text } : {}),
      ...(this.#hashed ? { responseContent: this.#hashed.take() } : {}),
    }
  }
}

/** Web searches run by Anthropic's server tool, billed per search (`usage.server_tool_use`). */
function serverToolRequests(usage: unknown): RequestCounts {
  const count = asRecord(asRecord(usage)?.['server_tool_use'])?.['web_search_requests']
  return typeof count === 'number' && Number.isInteger(count) && count > 0
    ? { webSearches: count }
    : {}
}

function blockIndex(event: Record<string, unknown>): number {
  return typeof event['index'] === 'number' ? event['index'] : -1
}
