import { mapOpenAIChatUsage } from '@agentmeter/core'
import {
  StreamOutcome,
  type CallOutcome,
  type ResponsePartsSource,
  type StreamReader,
  type ToolCall,
} from '../llm/outcome'
import { pushText, toolPart, type ResponsePart } from '../llm/response-content'
import { asString, isRecord, type Json } from '../llm/shape'
import { addBilling } from './billing'

/** A tool call (or a legacy `function_call`) of one choice, as its deltas built it so far. */
interface StreamedCall {
  choice: number
  /** The delta's `index`; -1 for a legacy `function_call`, which has no other call beside it. */
  index: number
  legacy: boolean
  id: string
  name: string
  /** The argument fragments joined, when content capture or the response hash needs them. */
  arguments: string
}

/** The text and refusal of a choice other than the first (only the response hash reads them). */
interface StreamedChoice {
  text: string
  refusal: string
}

/**
 * A streamed chat completion, read as each chunk passes (the app may keep or change the chunk
 * objects afterwards). Usage comes only in a last chunk with empty `choices`, and only when the
 * request set `stream_options.include_usage`; without it the usage stays unknown. Tool calls
 * arrive as deltas keyed by `index`: the first names them, the rest append arguments.
 *
 * A chunk costs a few property reads: nothing is allocated for one that carries nothing the span
 * needs, text is kept only for content capture or the response hash, and the hash's parts are
 * built at export (`responseParts`), from the text and calls kept here.
 */
export class ChatStreamReader extends StreamOutcome implements StreamReader, ResponsePartsSource {
  #model: string | undefined
  #id: string | undefined
  #usage: Json | undefined
  #serviceTier: unknown
  /** The first choice's finish reason, and the others' by index (most requests have one). */
  #finishReason: string | undefined
  #otherFinishReasons: Map<number, string> | undefined
  /** The first choice's text (content capture and the hash) and refusal (the hash). */
  #text = ''
  #refusal = ''
  #otherChoices: Map<number, StreamedChoice> | undefined
  /** In the order the calls were first seen; `#lastCall` is the one the last delta extended. */
  #calls: StreamedCall[] | undefined
  #lastCall: StreamedCall | undefined
  /** Whether argument fragments are joined (content capture, the response hash). */
  readonly #keepArguments: boolean

  constructor(
    private readonly keepContent: boolean,
    private readonly hashContent = false,
  ) {
    super()
    this.#keepArguments = keepContent || hashContent
  }

  add(chunk: unknown): void {
    if (!isRecord(chunk)) return
    // Azure's first chunk (prompt filter results) has an empty model and id.
    if (this.#model === undefined) this.#model = asString(chunk['model'])
    if (this.#id === undefined) this.#id = asString(chunk['id'])
    const usage = chunk['usage']
    if (isRecord(usage)) this.#usage = usage
    if (this.#serviceTier === undefined) this.#serviceTier = chunk['service_tier'] ?? undefined

    const choices = chunk['choices']
    if (!Array.isArray(choices)) return
    for (let i = 0; i < choices.length; i++) {
      const choice: unknown = choices[i]
      if (!isRecord(choice)) continue
      const index = typeof choice['index'] === 'number' ? choice['index'] : 0
      const reason = choice['finish_reason']
      if (typeof reason === 'string' && reason !== '') {
        if (index === 0) this.#finishReason = reason
        else (this.#otherFinishReasons ??= new Map()).set(index, reason)
      }
      const delta = choice['delta']
      if (isRecord(delta)) this.#addDelta(index, delta)
    }
  }

  #addDelta(choice: number, delta: Json): void {
    const content = delta['content']
    if (typeof content === 'string' && content !== '') {
      if (choice === 0) {
        if (this.keepContent || this.hashContent) this.#text += content
      } else if (this.hashContent) this.#otherChoice(choice).text += content
    }
    if (this.hashContent) {
      const refusal = delta['refusal']
      if (typeof refusal === 'string' && refusal !== '') {
        if (choice === 0) this.#refusal += refusal
        else this.#otherChoice(choice).refusal += refusal
      }
    }
    const toolCalls = delta['tool_calls']
    if (Array.isArray(toolCalls)) {
      for (let position = 0; position < toolCalls.length; position++) {
        const toolCall: unknown = toolCalls[position]
        const record = isRecord(toolCall) ? toolCall : undefined
        const fn = isRecord(record?.['function']) ? record['function'] : undefined
        const index = typeof record?.['index'] === 'number' ? record['index'] : position
        this.#addCall(choice, index, false, record?.['id'], fn?.['name'], fn?.['arguments'])
      }
    }
    const legacy = delta['function_call']
    if (isRecord(legacy)) {
      this.#addCall(choice, -1, true, undefined, legacy['name'], legacy['arguments'])
    }
  }

  #otherChoice(index: number): StreamedChoice {
    const choices = (this.#otherChoices ??= new Map())
    let choice = choices.get(index)
    if (!choice) {
      choice = { text: '', refusal: '' }
      choices.set(index, choice)
    }
    return choice
  }

  #addCall(
    choice: number,
    index: number,
    legacy: boolean,
    id: unknown,
    name: unknown,
    fragment: unknown,
  ): void {
    const call = this.#findCall(choice, index, legacy) ?? this.#newCall(choice, index, legacy)
    if (typeof id === 'string' && id !== '') call.id = id
    if (typeof name === 'string' && name !== '') call.name = name
    if (this.#keepArguments && typeof fragment === 'string') call.arguments += fragment
    this.#lastCall = call
  }

  /**
   * Argument deltas come in runs for one call: the last one is looked at first. A loop, not
   * `find`: a closure over the arguments would cost a context at every call of this method.
   */
  #findCall(choice: number, index: number, legacy: boolean): StreamedCall | undefined {
    const last = this.#lastCall
    if (last && last.choice === choice && last.index === index && last.legacy === legacy) {
      return last
    }
    const calls = this.#calls ?? []
    for (const call of calls) {
      if (call.choice === choice && call.index === index && call.legacy === legacy) return call
    }
    return undefined
  }

  #newCall(choice: number, index: number, legacy: boolean): StreamedCall {
    const call = { choice, index, legacy, id: '', name: '', arguments: '' }
    // `[call]` rather than a push into `[]`: a first push reserves room for 16.
    if (this.#calls) this.#calls.push(call)
    else this.#calls = [call]
    return call
  }

  /** The reader itself: what it kept is read into an outcome when the span's attributes are. */
  outcome(): CallOutcome {
    return this
  }

  protected build(): CallOutcome {
    const usage = this.#usage ? mapOpenAIChatUsage(this.#usage) : null
    const outcome: CallOutcome = {
      responseModel: this.#model,
      responseId: this.#id,
      finishReasons: this.#finishReasonList(),
      usage,
      usageFinal: usage !== null,
      toolCalls: this.#toolCalls(),
    }
    if (this.keepContent) outcome.text = this.#text
    if (this.hashContent) outcome.responseContent = this
    addBilling(outcome, this.#serviceTier, this.#usage)
    return outcome
  }

  /** Finish reasons by choice index. */
  #finishReasonList(): string[] {
    const others = this.#otherFinishReasons
    if (!others) return this.#finishReason === undefined ? [] : [this.#finishReason]
    const reasons = [...others.entries()]
    if (this.#finishReason !== undefined) reasons.push([0, this.#finishReason])
    return reasons.sort(([a], [b]) => a - b).map(([, reason]) => reason)
  }

  #toolCalls(): ToolCall[] {
    const calls = this.#calls
    if (!calls) return []
    const list: ToolCall[] = []
    for (const call of calls) {
      list.push(
        this.keepContent
          ? { id: call.id, name: call.name, arguments: call.arguments }
          : { id: call.id, name: call.name },
      )
    }
    return list
  }

  /** The parts a whole completion of the same answer gives: per choice, text, refusal, calls. */
  responseParts(): ResponsePart[] {
    const choices = new Map<number, StreamedChoice>()
    choices.set(0, { text: this.#text, refusal: this.#refusal })
    for (const [index, choice] of this.#otherChoices ?? []) choices.set(index, choice)
    const calls = this.#calls ?? []
    const parts: ResponsePart[] = []
    const indexes = new Set([...choices.keys(), ...calls.map((call) => call.choice)])
    for (const index of [...indexes].sort((a, b) => a - b)) {
      const choice = choices.get(index)
      pushText(parts, index, 'text', choice?.text)
      pushText(parts, index, 'refusal', choice?.refusal)
      const own = calls.filter((call) => call.choice === index).sort((a, b) => a.index - b.index)
      for (const call of own) parts.push(toolPart(index, call.name, call.arguments))
    }
    return parts
  }
}
