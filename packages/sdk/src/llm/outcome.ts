import type { MappedUsage, RequestCounts } from '@agentmeter/core'
import type { ResponsePart } from './response-content'

/** A tool call the model asked for. Arguments are kept only when content capture is on. */
export interface ToolCall {
  id: string
  name: string
  arguments?: string
}

/** What a provider call produced, as far as it was seen. */
export interface CallOutcome {
  responseModel?: string
  responseId?: string
  finishReasons: string[]
  /** Null when the provider reported no usage (yet): unknown, never zero. */
  usage: MappedUsage | null
  /** False while a stream's final usage has not arrived (Anthropic sends some at the start). */
  usageFinal: boolean
  toolCalls: ToolCall[]
  /** Hosted tool calls the provider bills per call (web searches, file searches). */
  requests?: RequestCounts
  /** The answer's text, only when content capture is on. */
  text?: string
  /** `service_tier` the provider says billed the call (`default`, `flex`, `priority`, ...). */
  serviceTier?: string
  /** The provider's own bill for the call (OpenRouter `usage.cost`), decimal USD. */
  reportedCostUsd?: string
  /**
   * What the response hash covers, when fingerprints are on: the parts of a whole response, or
   * a stream's reader, which builds them from what it kept when the hash is computed (at export,
   * off the call path).
   */
  responseContent?: ResponsePart[] | ResponsePartsSource
}

/** Builds a response's parts late, from text and tool calls it kept (a stream reader). */
export interface ResponsePartsSource {
  responseParts(): ResponsePart[]
}

/** The parts of `content`, building them if they were left to build late. */
export function responseParts(content: ResponsePart[] | ResponsePartsSource): ResponsePart[] {
  return Array.isArray(content) ? content : content.responseParts()
}

export function emptyOutcome(): CallOutcome {
  return { finishReasons: [], usage: null, usageFinal: false, toolCalls: [] }
}

/**
 * A stream reader's outcome: built, from what the reader kept, the first time one of its members
 * is read. A streamed call's span reads it for its late attributes, at export (content capture
 * and a shadow copy read it when the stream ends), so the end of a stream builds nothing.
 */
export abstract class StreamOutcome implements CallOutcome {
  #built: CallOutcome | undefined

  /** The outcome, from what was read; called once, after the last chunk. */
  protected abstract build(): CallOutcome

  #outcome(): CallOutcome {
    return (this.#built ??= this.build())
  }

  get responseModel(): string | undefined {
    return this.#outcome().responseModel
  }

  get responseId(): string | undefined {
    return this.#outcome().responseId
  }

  get finishReasons(): string[] {
    return this.#outcome().finishReasons
  }

  get usage(): MappedUsage | null {
    return this.#outcome().usage
  }

  get usageFinal(): boolean {
    return this.#outcome().usageFinal
  }

  get toolCalls(): ToolCall[] {
    return this.#outcome().toolCalls
  }

  get requests(): RequestCounts | undefined {
    return this.#outcome().requests
  }

  get text(): string | undefined {
    return this.#outcome().text
  }

  get serviceTier(): string | undefined {
    return this.#outcome().serviceTier
  }

  get reportedCostUsd(): string | undefined {
    return this.#outcome().reportedCostUsd
  }

  get responseContent(): ResponsePart[] | ResponsePartsSource | undefined {
    return this.#outcome().responseContent
  }
}

/** How a call's span ended. */
export type EndReason = 'completed' | 'cancelled' | 'aborted' | 'error' | 'raw_response'

/** Reads a streamed response chunk by chunk. */
export interface StreamReader {
  add(chunk: unknown): void
  outcome(): CallOutcome
}

/**
 * Builds tool calls from deltas that arrive in pieces, keyed by the provider's index. Most
 * answers have none, and the rest a few: two arrays (keys and calls, in the order the calls were
 * first seen) looked through, the last call found first (argument deltas come in runs), cost
 * less to make than a map.
 */
export class ToolCallBuilder {
  #keys: (string | number)[] | undefined
  #calls: ToolCall[] | undefined
  #last = 0

  constructor(private readonly keepArguments: boolean) {}

  start(key: string | number, id: string | undefined, name: string | undefined): void {
    let call = this.#find(key)
    if (!call) {
      call = { id: '', name: '' }
      // `[call]` rather than a push into `[]`: a first push reserves room for 16.
      if (this.#keys && this.#calls) {
        this.#keys.push(key)
        this.#last = this.#calls.push(call) - 1
      } else {
        this.#keys = [key]
        this.#calls = [call]
        this.#last = 0
      }
    }
    if (id) call.id = id
    if (name) call.name = name
    if (this.keepArguments && call.arguments === undefined) call.arguments = ''
  }

  appendArguments(key: string | number, fragment: unknown): void {
    if (!this.keepArguments || typeof fragment !== 'string') return
    const call = this.#find(key)
    if (call) call.arguments = (call.arguments ?? '') + fragment
  }

  replaceArguments(key: string | number, value: string): void {
    const call = this.#find(key)
    if (this.keepArguments && call) call.arguments = value
  }

  list(): ToolCall[] {
    if (!this.#calls) return []
    return this.#calls.map((call) => ({ ...call }))
  }

  #find(key: string | number): ToolCall | undefined {
    const keys = this.#keys
    if (!keys) return undefined
    if (keys[this.#last] === key) return this.#calls![this.#last]
    const position = keys.indexOf(key)
    if (position === -1) return undefined
    this.#last = position
    return this.#calls![position]
  }
}
