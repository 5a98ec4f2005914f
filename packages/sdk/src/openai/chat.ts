import { mapOpenAIChatUsage, mapOpenRouterUsage, STANDARD_TIERS } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from '../llm/content'
import { ToolCallBuilder, type CallOutcome, type StreamReader } from '../llm/outcome'
import { captureRequestFingerprint } from '../llm/fingerprint'
import { ChatContentAccumulator, chatResponseContent } from '../llm/response-content'
import { requestAttributes, serverOf } from '../llm/request'
import { asArray, asRecord, asString, type Json } from '../llm/shape'
import type { CallAdapter } from '../llm/traced-method'
import { captureContent } from '../state'
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
  return {
    responseModel: asString(body?.['model']),
    responseId: asString(body?.['id']),
    finishReasons,
    usage: mapOpenAIChatUsage(body?.['usage']),
    usageFinal: true,
    toolCalls: calls.list(),
    ...(text !== undefined ? { text } : {}),
    ...billing(body?.['service_tier'], body?.['usage']),
  }
}

/**
 * A service tier other than the standard one (`default`, `auto` bill at list price) and, from
 * OpenRouter (and other servers that send it), the bill in `usage.cost`, for the collector's
 * tier rules and its provider-reported cost.
 */
export function billing(serviceTier: unknown, usage: unknown): Partial<CallOutcome> {
  const stated = asString(serviceTier)
  const tier = stated && !STANDARD_TIERS.has(stated.toLowerCase()) ? stated : undefined
  const reported = asRecord(usage)?.['cost'] === undefined ? null : mapOpenRouterUsage(usage)
  return {
    ...(tier ? { serviceTier: tier } : {}),
    ...(reported?.reportedCostUsd ? { reportedCostUsd: reported.reportedCostUsd } : {}),
  }
}

/**
 * A streamed chat completion. Usage comes only in a last chunk with empty `choices`, and only when
 * the request set `stream_options.include_usage`; without it the usage stays unknown. Tool calls
 * arrive as deltas keyed by `index`: the first names them, the rest append arguments.
 */
export class ChatStreamReader implements StreamReader {
  #model: string | undefined
  #id: string | undefined
  #usage: Json | undefined
  #serviceTier: unknown
  #text = ''
  readonly #finishReasons = new Map<number, string>()
  readonly #calls: ToolCallBuilder
  readonly #hashed: ChatContentAccumulator | undefined

  constructor(
    private readonly keepContent: boolean,
    hashContent = false,
  ) {
    this.#calls = new ToolCallBuilder(keepContent)
    if (hashContent) this.#hashed = new ChatContentAccumulator()
  }

  add(raw: unknown): void {
    const chunk = asRecord(raw)
    if (!chunk) return
    // Azure's first chunk (prompt filter results) has an empty model and id.
    this.#model ??= asString(chunk['model'])
    this.#id ??= asString(chunk['id'])
    const usage = asRecord(chunk['usage'])
    if (usage) this.#usage = usage
    this.#serviceTier ??= chunk['service_tier'] ?? undefined

    for (const entry of asArray(chunk['choices'])) {
      const choice = asRecord(entry)
      const choiceIndex = typeof choice?.['index'] === 'number' ? choice['index'] : 0
      const reason = asString(choice?.['finish_reason'])
      if (reason) this.#finishReasons.set(choiceIndex, reason)
      const delta = asRecord(choice?.['delta'])
      if (!delta) continue
      this.#hashed?.add(choiceIndex, delta)
      asArray(delta['tool_calls']).forEach((item, position) => {
        const toolCall = asRecord(item)
        const fn = asRecord(toolCall?.['function'])
        const index = typeof toolCall?.['index'] === 'number' ? toolCall['index'] : position
        const key = `${choiceIndex}:${index}`
        this.#calls.start(key, asString(toolCall?.['id']), asString(fn?.['name']))
        this.#calls.appendArguments(key, fn?.['arguments'])
      })
      const legacy = asRecord(delta['function_call'])
      if (legacy) {
        this.#calls.start(`${choiceIndex}:function_call`, undefined, asString(legacy['name']))
        this.#calls.appendArguments(`${choiceIndex}:function_call`, legacy['arguments'])
      }
      const content = delta['content']
      if (this.keepContent && choiceIndex === 0 && typeof content === 'string') {
        this.#text += content
      }
    }
  }

  outcome(): CallOutcome {
    const usage = this.#usage ? mapOpenAIChatUsage(this.#usage) : null
    return {
      responseModel: this.#model,
      responseId: this.#id,
      finishReasons: [...this.#finishReasons.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, reason]) => reason),
      usage,
      usageFinal: usage !== null,
      toolCalls: this.#calls.list(),
      ...(this.keepContent ? { text: this.#text } : {}),
      ...(this.#hashed ? { responseContent: this.#hashed.take() } : {}),
      ...billing(this.#serviceTier, this.#usage),
    }
  }
}
