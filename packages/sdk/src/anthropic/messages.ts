import { mapAnthropicUsage } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from '../llm/content'
import { ToolCallBuilder, type CallOutcome } from '../llm/outcome'
import { captureRequestFingerprint } from '../llm/fingerprint'
import { messagesResponseContent } from '../llm/response-content'
import { requestAttributes, serverOf } from '../llm/request'
import { asArray, asRecord, asString } from '../llm/shape'
import type { CallAdapter } from '../llm/traced-method'
import { captureContent } from '../state'
import { withoutClientSpans } from './client-spans'
import { MessagesStreamReader } from './messages-stream'
import { serverToolRequests, TOOL_BLOCKS } from './server-tools'

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
