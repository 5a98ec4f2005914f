import { canonicalJson } from '@agentmeter/core'
import { asArray, asRecord, asString } from './shape'

/**
 * What `agentmeter.response.hash` covers: the answer's text and the tool calls it asked for
 * (name and arguments), per choice, in order. A whole response and a stream of the same answer
 * reduce to the same parts, so their hashes are equal: the wire shapes differ (a whole chat
 * message has `annotations: []`, a stream's tool calls carry an `index`, an Anthropic stream
 * sends tool input as JSON fragments) and provider-minted ids never match anyway.
 */
export type ResponsePart =
  | { choice: number; type: 'text' | 'refusal'; text: string }
  | { choice: number; type: 'tool_call'; name: string; arguments: string }

/** Tool blocks of a Messages response (client tools and server-run ones). */
const TOOL_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use'])

function pushText(
  parts: ResponsePart[],
  choice: number,
  type: 'text' | 'refusal',
  text: unknown,
): void {
  if (typeof text === 'string' && text !== '') parts.push({ choice, type, text })
}

function toolPart(choice: number, name: unknown, args: unknown): ResponsePart {
  return {
    choice,
    type: 'tool_call',
    name: asString(name) ?? '',
    arguments: typeof args === 'string' ? args : canonicalJson(args ?? {}),
  }
}

/** A whole chat completion's `choices[].message`. */
export function chatResponseContent(data: unknown): ResponsePart[] {
  const parts: ResponsePart[] = []
  for (const entry of asArray(asRecord(data)?.['choices'])) {
    const choice = asRecord(entry)
    const index = typeof choice?.['index'] === 'number' ? choice['index'] : 0
    const message = asRecord(choice?.['message'])
    pushText(parts, index, 'text', message?.['content'])
    pushText(parts, index, 'refusal', message?.['refusal'])
    for (const item of asArray(message?.['tool_calls'])) {
      const fn = asRecord(asRecord(item)?.['function'])
      parts.push(toolPart(index, fn?.['name'], fn?.['arguments'] ?? ''))
    }
    const legacy = asRecord(message?.['function_call'])
    if (legacy) parts.push(toolPart(index, legacy['name'], legacy['arguments'] ?? ''))
  }
  return parts
}

/** A whole Messages response's text and tool blocks (thinking is not the answer). */
export function messagesResponseContent(data: unknown): ResponsePart[] {
  const parts: ResponsePart[] = []
  for (const entry of asArray(asRecord(data)?.['content'])) {
    const block = asRecord(entry)
    const type = asString(block?.['type'])
    if (type === 'text') pushText(parts, 0, 'text', block?.['text'])
    else if (type && TOOL_BLOCKS.has(type))
      parts.push(toolPart(0, block?.['name'], block?.['input']))
  }
  return parts
}

/** A whole Responses API response's message text and function calls. */
export function responsesResponseContent(data: unknown): ResponsePart[] {
  const parts: ResponsePart[] = []
  for (const entry of asArray(asRecord(data)?.['output'])) {
    const item = asRecord(entry)
    if (item?.['type'] === 'message') {
      for (const part of asArray(item['content'])) {
        const content = asRecord(part)
        if (content?.['type'] === 'output_text') pushText(parts, 0, 'text', content['text'])
        if (content?.['type'] === 'refusal') pushText(parts, 0, 'refusal', content['refusal'])
      }
    } else if (item?.['type'] === 'function_call') {
      parts.push(toolPart(0, item['name'], item['arguments'] ?? ''))
    }
  }
  return parts
}

interface StreamedChoice {
  text: string
  refusal: string
  calls: Map<number, { name: string; arguments: string }>
}

/** Chat stream deltas folded into the parts a whole completion of the same answer gives. */
export class ChatContentAccumulator {
  readonly #choices = new Map<number, StreamedChoice>()

  #choice(index: number): StreamedChoice {
    let choice = this.#choices.get(index)
    if (!choice) {
      choice = { text: '', refusal: '', calls: new Map() }
      this.#choices.set(index, choice)
    }
    return choice
  }

  add(choiceIndex: number, delta: Record<string, unknown>): void {
    const choice = this.#choice(choiceIndex)
    if (typeof delta['content'] === 'string') choice.text += delta['content']
    if (typeof delta['refusal'] === 'string') choice.refusal += delta['refusal']
    asArray(delta['tool_calls']).forEach((item, position) => {
      const call = asRecord(item)
      const index = typeof call?.['index'] === 'number' ? call['index'] : position
      this.#appendCall(choice, index, asRecord(call?.['function']))
    })
    const legacy = asRecord(delta['function_call'])
    if (legacy) this.#appendCall(choice, -1, legacy)
  }

  #appendCall(choice: StreamedChoice, index: number, fn: Record<string, unknown> | undefined) {
    const call = choice.calls.get(index) ?? { name: '', arguments: '' }
    if (typeof fn?.['name'] === 'string' && fn['name'] !== '') call.name = fn['name']
    if (typeof fn?.['arguments'] === 'string') call.arguments += fn['arguments']
    choice.calls.set(index, call)
  }

  /** The parts, once; the accumulated text is released. */
  take(): ResponsePart[] {
    const parts: ResponsePart[] = []
    for (const index of [...this.#choices.keys()].sort((a, b) => a - b)) {
      const choice = this.#choices.get(index)!
      pushText(parts, index, 'text', choice.text)
      pushText(parts, index, 'refusal', choice.refusal)
      // Tool calls by their index; a legacy function call (-1) has no other call beside it.
      for (const call of [...choice.calls.entries()].sort(([a], [b]) => a - b)) {
        parts.push(toolPart(index, call[1].name, call[1].arguments))
      }
    }
    this.#choices.clear()
    return parts
  }
}

/** Messages stream events folded into the parts a whole message of the same answer gives. */
export class MessagesContentAccumulator {
  readonly #blocks = new Map<number, { type: string; name: string; text: string; input: unknown }>()

  start(index: number, block: Record<string, unknown>): void {
    const type = asString(block['type']) ?? ''
    if (type !== 'text' && !TOOL_BLOCKS.has(type)) return
    const name = asString(block['name']) ?? ''
    this.#blocks.set(index, {
      type,
      name,
      text: asString(block['text']) ?? '',
      input: block['input'],
    })
  }

  append(index: number, text: unknown): void {
    const block = this.#blocks.get(index)
    if (block && typeof text === 'string') block.text += text
  }

  /** The parts, once; the accumulated text is released. */
  take(): ResponsePart[] {
    const parts: ResponsePart[] = []
    for (const index of [...this.#blocks.keys()].sort((a, b) => a - b)) {
      const block = this.#blocks.get(index)!
      if (block.type === 'text') pushText(parts, 0, 'text', block.text)
      else
        parts.push(
          toolPart(0, block.name, block.text === '' ? block.input : parsedInput(block.text)),
        )
    }
    this.#blocks.clear()
    return parts
  }
}

/** Streamed tool input is JSON text; a whole message carries the parsed object. */
function parsedInput(json: string): unknown {
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}
