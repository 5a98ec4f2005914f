import { mapOpenAIChatUsage } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from '../llm/content'
import { ToolCallBuilder, type CallOutcome } from '../llm/outcome'
import { captureRequestFingerprint } from '../llm/fingerprint'
import { chatResponseContent } from '../llm/response-content'
import { requestAttributes, serverOf } from '../llm/request'
import { asArray, asRecord, asString } from '../llm/shape'
import type { CallAdapter } from '../llm/traced-method'
import { captureContent } from '../state'
import { addBilling } from './billing'
import { ChatStreamReader } from './chat-stream'
import { openAiProviderName } from './provider'

/** `chat.completions.create` (and through it `parse`, `stream` and `runTools`). */
export const chatCompletionsAdapter: CallAdapter = {
  client: 'openai',
  describe(self, raw) {
    const body = asRecord(raw)
    const server = serverOf(self)
    const attributes = requestAttributes(body, server)
    const fingerprint = captureRequestFingerprint(body, 'openai-chat')
    if (captureContent() && body?.['messages'] !== undefined) {
      attributes[SdkAttr.inputMessages] = toJson(body['messages'])
    }
    return {
      provider: openAiProviderName(server?.address),
      requestModel: asString(body?.['model']) ?? '',
      stream: body?.['stream'] === true,
      attributes,
      fingerprint: fingerprint ?? null,
    }
  },
  readResponse: readChatCompletion,
  responseContent: chatResponseContent,
  createStreamReader: (keepContent, hashContent) => new ChatStreamReader(keepContent, hashContent),
  // A stored completion would put the copy among the app's own (evals, distillation).
  shadowBody: (body) => (body['store'] === true ? { ...body, store: false } : body),
}

/** A whole `ChatCompletion`. */
export function readChatCompletion(data: unknown, keepContent = captureContent()): CallOutcome {
  const body = asRecord(data)
  const choices = asArray(body?.['choices']).map(asRecord)
  const finishReasons: string[] = []
  const calls = new ToolCallBuilder(keepContent)
  choices.forEach((choice, choiceIndex) => {
    const reason = asString(choice?.['finish_reason'])
    if (reason) finishReasons.push(reason)
    const message = asRecord(choice?.['message'])
    asArray(message?.['tool_calls']).forEach((entry, index) => {
      const toolCall = asRecord(entry)
      const fn = asRecord(toolCall?.['function'])
      const key = `${choiceIndex}:${index}`
      calls.start(key, asString(toolCall?.['id']), asString(fn?.['name']))
      calls.appendArguments(key, fn?.['arguments'])
    })
    const legacy = asRecord(message?.['function_call'])
    if (legacy) {
      calls.start(`${choiceIndex}:function_call`, undefined, asString(legacy['name']))
      calls.appendArguments(`${choiceIndex}:function_call`, legacy['arguments'])
    }
  })
  const text = keepContent ? asString(asRecord(choices[0]?.['message'])?.['content']) : undefined
  const outcome: CallOutcome = {
    responseModel: asString(body?.['model']),
    responseId: asString(body?.['id']),
    finishReasons,
    usage: mapOpenAIChatUsage(body?.['usage']),
    usageFinal: true,
    toolCalls: calls.list(),
  }
  if (text !== undefined) outcome.text = text
  addBilling(outcome, body?.['service_tier'], body?.['usage'])
  return outcome
}
