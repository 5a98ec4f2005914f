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
 * A Messages stream, read as each event passes: the `MessageStream` helper builds its message
 * out of the events it is given (the `message_start` message, its `usage` included, is the
 * helper's snapshot, changed by every later event), so what an event says is taken when it
 * comes. `message_start` brings the first usage (input known, output 1 or so), copied then into
 * the reader's own object; each `message_delta` updates the fields it carries there (core's
 * `mergeAnthropicStreamUsageInto`). A stream cut before its `message_delta` keeps the start
 * counts, marked partial by the call.
 *
 * The deltas, nearly every event of a stream, are skipped unless content capture or the
 * response hash needs their text, and then kept as they are, to be read when the text is needed:
 * at the end for content capture, at export (`responseParts`) for the hash alone. A delta event
 * is not changed after it passes (`MessageStream` copies what it keeps of one).
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
  /** Deltas kept to read later, and the lowest and highest block index among them. */
  #pending: Json[] | undefined
  #pendingLow = 0
  #pendingHigh = 0

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
        if (this.#readsDeltas) this.#keepDelta(event)
        break
      case 'message_start': {
        const message = asRecord(event['message'])
        if (this.#model === undefined) this.#model = asString(message?.['model'])
        if (this.#id === undefined) this.#id = asString(message?.['id'])
        this.#usage = mergeAnthropicStreamUsageInto(this.#usage, message?.['usage'])
        break
      }
      case 'content_block_start':
        this.#startBlock(event)
        break
      case 'message_delta': {
        this.#stopReason = asString(asRecord(event['delta'])?.['stop_reason']) ?? this.#stopReason
        if (isRecord(event['usage'])) {
          this.#usage = mergeAnthropicStreamUsageInto(this.#usage, event['usage'])
          this.#sawFinalUsage = true
        }
        break
      }
    }
  }

  #startBlock(event: Json): void {
    const block = event['content_block']
    if (!isRecord(block)) return
    const index = blockIndex(event)
    // A kept delta is read against the blocks started when it came: a start at an index one of
    // them has (a restart, or a delta ahead of its block) has them read first. Streams start
    // each block once, after the deltas of the ones before, so this reads nothing early.
    if (this.#pending && index >= this.#pendingLow && index <= this.#pendingHigh) {
      this.#readKeptDeltas()
    }
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

  #keepDelta(event: Json): void {
    const index = blockIndex(event)
    const pending = this.#pending
    if (!pending) {
      this.#pending = [event]
      this.#pendingLow = index
      this.#pendingHigh = index
      return
    }
    pending.push(event)
    if (index < this.#pendingLow) this.#pendingLow = index
    if (index > this.#pendingHigh) this.#pendingHigh = index
  }

  #readKeptDeltas(): void {
    const pending = this.#pending
    if (!pending) return
    this.#pending = undefined
    for (const event of pending) this.#readDelta(event)
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
    this.#readKeptDeltas()
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
    this.#readKeptDeltas()
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
