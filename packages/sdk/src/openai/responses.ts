import { mapOpenAIResponsesUsage } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from '../llm/content'
import { ToolCallBuilder, type CallOutcome, type StreamReader } from '../llm/outcome'
import { captureRequestFingerprint } from '../llm/fingerprint'
import { responsesResponseContent, type ResponsePart } from '../llm/response-content'
import { requestAttributes, serverOf } from '../llm/request'
import { asArray, asRecord, asString } from '../llm/shape'
import type { CallAdapter } from '../llm/traced-method'
import { captureContent } from '../state'
import { openAiProviderName } from './provider'

/** Events that carry the finished response, usage included. */
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** `responses.create` (and through it `responses.parse` and `responses.stream`). */
export const responsesAdapter: CallAdapter = {
  client: 'openai',
  describe(self, raw) {
    const body = asRecord(raw)
    const server = serverOf(self)
    const attributes = requestAttributes(body, server)
    const fingerprint = captureRequestFingerprint(body, 'openai-responses')
    if (captureContent()) {
      if (body?.['input'] !== undefined) attributes[SdkAttr.inputMessages] = toJson(body['input'])
      const instructions = body?.['instructions']
      if (instructions != null) attributes[SdkAttr.systemInstructions] = toJson(instructions)
    }
    return {
      provider: openAiProviderName(server?.address),
      requestModel: asString(body?.['model']) ?? '',
      stream: body?.['stream'] === true,
      attributes,
      fingerprint: fingerprint ?? null,
    }
  },
  readResponse: readResponseObject,
  responseContent: responsesResponseContent,
  createStreamReader: (keepContent, hashContent) =>
    new ResponsesStreamReader(keepContent, hashContent),
  // A copy must leave no state at the provider: nothing stored (the API stores by default), and
  // no turn appended to the app's conversation, so a call in a conversation is not copied.
  shadowBody: (body) => (body['conversation'] != null ? null : { ...body, store: false }),
}

/**
 * A whole Responses API `Response`. Its `status` stands in for finish reasons (`completed`, or the
 * reason a response is `incomplete`). Every output item of a `*_call` type is a tool call the
 * model made, hosted ones (`file_search_call`) included.
 */
export function readResponseObject(data: unknown, keepContent = captureContent()): CallOutcome {
  const body = asRecord(data)
  const calls = new ToolCallBuilder(keepContent)
  let text = ''
  const requests = { webSearches: 0, fileSearches: 0 }
  for (const entry of asArray(body?.['output'])) {
    const item = asRecord(entry)
    addToolCallItem(calls, item)
    // Hosted searches are billed per call, on top of the tokens.
    if (item?.['type'] === 'web_search_call') requests.webSearches++
    if (item?.['type'] === 'file_search_call') requests.fileSearches++
    if (keepContent && item?.['type'] === 'message') text += messageText(item)
  }
  const status = asString(body?.['status'])
  const reason =
    status === 'incomplete'
      ? (asString(asRecord(body?.['incomplete_details'])?.['reason']) ?? status)
      : status
  return {
    responseModel: asString(body?.['model']),
    responseId: asString(body?.['id']),
    finishReasons: reason ? [reason] : [],
    usage: mapOpenAIResponsesUsage(body?.['usage']),
    usageFinal: true,
    toolCalls: calls.list(),
    requests,
    ...(keepContent ? { text } : {}),
  }
}

/** A streamed response: usage only in the final `response.completed` (or incomplete, failed). */
export class ResponsesStreamReader implements StreamReader {
  #model: string | undefined
  #id: string | undefined
  #final: CallOutcome | undefined
  #text = ''
  readonly #calls: ToolCallBuilder
  #content: ResponsePart[] | undefined

  constructor(
    private readonly keepContent: boolean,
    private readonly hashContent = false,
  ) {
    this.#calls = new ToolCallBuilder(keepContent)
  }

  add(raw: unknown): void {
    const event = asRecord(raw)
    const type = asString(event?.['type'])
    if (!event || !type) return
    const response = asRecord(event['response'])
    if (response) {
      this.#model ??= asString(response['model'])
      this.#id ??= asString(response['id'])
      if (FINAL_EVENTS.has(type)) {
        this.#final = readResponseObject(response, this.keepContent)
        // The final event carries the whole response: the same parts as a non-streamed one.
        if (this.hashContent) this.#content = responsesResponseContent(response)
      }
    }
    if (type === 'response.output_item.added' || type === 'response.output_item.done') {
      addToolCallItem(this.#calls, asRecord(event['item']))
    }
    if (this.keepContent && type === 'response.output_text.delta') {
      const delta = event['delta']
      if (typeof delta === 'string') this.#text += delta
    }
  }

  outcome(): CallOutcome {
    if (this.#final) {
      const final = this.#content ? { ...this.#final, responseContent: this.#content } : this.#final
      return final.toolCalls.length > 0 ? final : { ...final, toolCalls: this.#calls.list() }
    }
    return {
      responseModel: this.#model,
      responseId: this.#id,
      finishReasons: [],
      usage: null,
      usageFinal: false,
      toolCalls: this.#calls.list(),
      ...(this.keepContent ? { text: this.#text } : {}),
    }
  }
}

function addToolCallItem(calls: ToolCallBuilder, item: Record<string, unknown> | undefined): void {
  const type = asString(item?.['type'])
  if (!item || !type || !type.endsWith('_call')) return
  const itemId = asString(item['id'])
  const key = itemId ?? asString(item['call_id']) ?? type
  calls.start(key, asString(item['call_id']) ?? itemId, asString(item['name']) ?? type.slice(0, -5))
  // Function calls carry their arguments whole in the item (the deltas are not needed).
  const args = item['arguments']
  if (typeof args === 'string' && type === 'function_call') calls.replaceArguments(key, args)
}

function messageText(item: Record<string, unknown>): string {
  return asArray(item['content'])
    .map((part) => asRecord(part))
    .filter((part) => part?.['type'] === 'output_text')
    .map((part) => asString(part?.['text']) ?? '')
    .join('')
}
