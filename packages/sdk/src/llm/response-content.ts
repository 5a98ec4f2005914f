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

/** Adds a text part, unless the text is empty (a whole response and a stream agree on that). */
export function pushText(
  parts: ResponsePart[],
  choice: number,
  type: 'text' | 'refusal',
  text: unknown,
): void {
  if (typeof text === 'string' && text !== '') parts.push({ choice, type, text })
}

/** A tool call's part; arguments sent as an object are written as canonical JSON. */
export function toolPart(choice: number, name: unknown, args: unknown): ResponsePart {
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
