import { mapAnthropicUsage, mergeAnthropicStreamUsageInto } from '@agentmeter/core'
import {
  StreamOutcome,
  ToolCallBuilder,
  type CallOutcome,
  type ResponsePartsSource,
  type StreamReader,
} from '../llm/outcome'
import { pushText, toolPart, type ResponsePart } from '../llm/response-content'
import { asRecord, asString, isRecord, type Json } from '../llm/shape'
import { serverToolRequests, TOOL_BLOCKS } from './server-tools'

/** A text or tool block of a streamed message, as the response hash covers it. */
interface StreamedBlock {
  index: number
  type: string
  name: string
  /** The block's text, or its tool input's JSON fragments joined. */
  text: string
  /** The input a tool block started with (the whole of it when no fragment follows). */
  input: unknown
}

/**
 * A Messages stream. The `MessageStream` helper builds its message out of the events it is given:
 * the `message_start` message, its `usage` included, is the helper's snapshot, changed by every
 * later event, so its model and id are read, and its usage copied, when it comes. The helper
 * copies what it keeps of the other events and changes none of them: the content events (block
 * starts, and the deltas when content capture or the response hash needs their text; otherwise
 * they are skipped) are kept as they came and read in order when the outcome is built (at
 * export, see `StreamOutcome`), the last `message_delta`'s usage with them. Each `message_delta`
 * updates the usage fields it carries (core's `mergeAnthropicStreamUsageInto`); a stream cut
 * before its `message_delta` keeps the start counts, marked partial by the call.
 */
export class MessagesStreamReader
  extends StreamOutcome
  implements StreamReader, ResponsePartsSource
{
  #model: string | undefined
  #id: string | undefined
  #usage: Record<string, unknown> | null = null
  #sawFinalUsage = false
  #stopReason: string | undefined
  #text = ''
  readonly #calls: ToolCallBuilder
  /** The hash's blocks (one per index), and the one the last delta extended: deltas come in runs. */
  #blocks: StreamedBlock[] | undefined
  #lastBlock: StreamedBlock | undefined
  readonly #readsDeltas: boolean
  /** Content events kept to read in order, and the last `message_delta` usage not folded yet. */
  #kept: Json[] | undefined
  #lastUsage: Json | undefined

  constructor(
    private readonly keepContent: boolean,
    private readonly hashContent = false,
  ) {
    super()
    this.#calls = new ToolCallBuilder(keepContent)
    this.#readsDeltas = keepContent || hashContent
  }

  add(event: unknown): void {
    if (!isRecord(event)) return
    switch (event['type']) {
      case 'content_block_delta':
        if (this.#readsDeltas) this.#keep(event)
        break
      case 'content_block_start':
        this.#keep(event)
        break
      case 'message_start': {
        const message = asRecord(event['message'])
        if (this.#model === undefined) this.#model = asString(message?.['model'])
        if (this.#id === undefined) this.#id = asString(message?.['id'])
        const usage = message?.['usage']
        // A copy (the helper writes into this one); its null fields count as absent, as in a merge.
        if (isRecord(usage)) {
          this.#usage = this.#usage
            ? mergeAnthropicStreamUsageInto(this.#usage, usage)
            : { ...usage }
        }
        break
      }
      case 'message_delta': {
        this.#stopReason = asString(asRecord(event['delta'])?.['stop_reason']) ?? this.#stopReason
        const usage = event['usage']
        if (isRecord(usage)) {
          // Usually the only one: folded in when the outcome is built, an earlier one now.
          if (this.#lastUsage)
            this.#usage = mergeAnthropicStreamUsageInto(this.#usage, this.#lastUsage)
          this.#lastUsage = usage
          this.#sawFinalUsage = true
        }
        break
      }
    }
  }

  #keep(event: Json): void {
    // `[event]` rather than a push into `[]`: a first push reserves room for 16.
    if (this.#kept) this.#kept.push(event)
    else this.#kept = [event]
  }

  /** Reads the kept content events, in the order they came (once: they are let go). */
  #readKept(): void {
    const kept = this.#kept
    if (!kept) return
    this.#kept = undefined
    for (const event of kept) {
      if (event['type'] === 'content_block_start') this.#startBlock(event)
      else this.#readDelta(event)
    }
  }

  #startBlock(event: Json): void {
    const block = event['content_block']
    if (!isRecord(block)) return
    const index = blockIndex(event)
    const type = asString(block['type'])
    const tool = type !== undefined && TOOL_BLOCKS.has(type)
    if (tool) this.#calls.start(index, asString(block['id']), asString(block['name']))
    if (!this.hashContent || !(tool || type === 'text')) return
    const streamed: StreamedBlock = {
      index,
      type: type!,
      name: asString(block['name']) ?? '',
      text: asString(block['text']) ?? '',
      input: block['input'],
    }
    this.#lastBlock = streamed
    const blocks = this.#blocks
    // `[streamed]` rather than a push into `[]`: a first push reserves room for 16.
    if (!blocks) this.#blocks = [streamed]
    else {
      const earlier = positionOf(blocks, index)
      if (earlier === -1) blocks.push(streamed)
      else blocks[earlier] = streamed
    }
  }

  #readDelta(event: Json): void {
    const delta = event['delta']
    if (!isRecord(delta)) return
    const type = delta['type']
    if (type !== 'text_delta' && type !== 'input_json_delta') return
    if (this.hashContent) {
      const fragment = delta['partial_json'] ?? delta['text']
      const block = this.#block(blockIndex(event))
      if (block && typeof fragment === 'string') block.text += fragment
    }
    if (!this.keepContent) return
    if (type === 'input_json_delta') {
      this.#calls.appendArguments(blockIndex(event), delta['partial_json'])
    } else {
      this.#text += asString(delta['text']) ?? ''
    }
  }

  #block(index: number): StreamedBlock | undefined {
    const last = this.#lastBlock
    if (last?.index === index) return last
    const blocks = this.#blocks
    const position = blocks ? positionOf(blocks, index) : -1
    if (position === -1) return undefined
    const block = blocks![position]!
    this.#lastBlock = block
    return block
  }

  /** The reader itself: what it kept is read into an outcome when the span's attributes are. */
  outcome(): CallOutcome {
    return this
  }

  protected build(): CallOutcome {
    this.#readKept()
    if (this.#lastUsage) {
      this.#usage = mergeAnthropicStreamUsageInto(this.#usage, this.#lastUsage)
      this.#lastUsage = undefined
    }
    const outcome: CallOutcome = {
      responseModel: this.#model,
      responseId: this.#id,
      finishReasons: this.#stopReason ? [this.#stopReason] : [],
      usage: this.#usage ? mapAnthropicUsage(this.#usage) : null,
      usageFinal: this.#sawFinalUsage,
      toolCalls: this.#calls.list(),
      requests: serverToolRequests(this.#usage),
    }
    if (this.keepContent) outcome.text = this.#text
    if (this.hashContent) outcome.responseContent = this
    return outcome
  }

  /** The parts a whole message of the same answer gives: its text and tool blocks, in order. */
  responseParts(): ResponsePart[] {
    this.#readKept()
    const parts: ResponsePart[] = []
    const blocks = [...(this.#blocks ?? [])].sort((a, b) => a.index - b.index)
    for (const block of blocks) {
      if (block.type === 'text') pushText(parts, 0, 'text', block.text)
      else {
        const input = block.text === '' ? block.input : parsedInput(block.text)
        parts.push(toolPart(0, block.name, input))
      }
    }
    return parts
  }
}

/** Where the block of `index` is in `blocks` (a loop: no closure per event), or -1. */
function positionOf(blocks: readonly StreamedBlock[], index: number): number {
  for (let position = 0; position < blocks.length; position++) {
    if (blocks[position]!.index === index) return position
  }
  return -1
}

function blockIndex(event: Json): number {
  return typeof event['index'] === 'number' ? event['index'] : -1
}

/** Streamed tool input is JSON text; a whole message carries the parsed object. */
function parsedInput(json: string): unknown {
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}
