import type { SpanContent } from '../api/types'

/** How one piece of content is shown: markdown (sanitized) for prose, text for data. */
export type ContentFormat = 'markdown' | 'text'

/** One message, or one piece of a value, ready to render. */
export interface ContentPartModel {
  /** `user`, `assistant`, `tool`...; `null` when the value is not a message list. */
  role: string | null
  format: ContentFormat
  text: string
  /** The start of `text` shown while the part is collapsed; `null` when it is short. */
  preview: string | null
}

/** One content attribute of the span. */
export interface ContentBlockModel {
  key: string
  label: string
  parts: ContentPartModel[]
}

/** What the content panel shows for one span. */
export interface SpanContentModel {
  blocks: ContentBlockModel[]
  /** Why there is nothing to show, when there is nothing; `null` otherwise. */
  note: string | null
}

/** Longer parts are collapsed to their first lines, behind a toggle. */
export const PREVIEW_CHARS = 600
export const PREVIEW_LINES = 12

export const CAPTURE_OFF_NOTE =
  'Content capture is off for this project: agentmeter keeps fingerprints of prompts and completions, not their text. An admin key can turn it on (PUT /api/v1/settings).'
export const NO_CONTENT_NOTE = 'No prompt, completion or tool content was captured for this span.'

const LABELS: Array<[RegExp, string]> = [
  [/^gen_ai\.system_instructions$/, 'System instructions'],
  [/^(gen_ai\.tool\.definitions|ai\.prompt\.tools)$/, 'Tool definitions'],
  [/^(gen_ai\.tool\.call\.arguments|ai\.toolCall\.args|tool_arguments)$/, 'Tool arguments'],
  [/^ai\.response\.toolCalls$/, 'Tool calls'],
  [
    /^(gen_ai\.tool\.call\.result|ai\.toolCall\.result|tool_response|anthropic\.tool_result\.content)$/,
    'Tool result',
  ],
  [
    /^(gen_ai\.(input\.messages|prompt)|input\.value|ai\.prompt|llm\.(input_messages|prompts)|traceloop\.entity\.input|langfuse\.(observation|trace)\.input|pydantic_ai\.all_messages)/,
    'Prompt',
  ],
  [
    /^(gen_ai\.(output\.messages|completion)|output\.value|ai\.response\.|llm\.output_messages|traceloop\.entity\.output|langfuse\.(observation|trace)\.output|final_result)/,
    'Completion',
  ],
]

const ORDER = [
  'System instructions',
  'Prompt',
  'Tool definitions',
  'Tool arguments',
  'Completion',
  'Tool calls',
  'Tool result',
  'Content',
]

/**
 * Turns a span's stored content attributes into labelled blocks: message lists (OTel GenAI
 * `parts`, or `content` strings and arrays) become one part per message with its role, other
 * JSON is pretty-printed as text, and plain strings are prose (markdown). Nothing here decides
 * what is safe to render: every part is untrusted and `SafeMarkdown` or a text node shows it.
 */
export function prepareSpanContent(answer: SpanContent): SpanContentModel {
  const blocks = answer.content
    .map((field) => ({ key: field.key, label: labelOf(field.key), parts: partsOf(field.value) }))
    .sort((a, b) => ORDER.indexOf(a.label) - ORDER.indexOf(b.label) || compare(a.key, b.key))
  if (blocks.length > 0) return { blocks, note: null }
  return { blocks, note: answer.captureContent ? NO_CONTENT_NOTE : CAPTURE_OFF_NOTE }
}

function labelOf(key: string): string {
  return LABELS.find(([pattern]) => pattern.test(key))?.[1] ?? 'Content'
}

function partsOf(value: string): ContentPartModel[] {
  const parsed = parseJson(value)
  if (parsed === undefined) return [part(null, 'markdown', value)]
  if (typeof parsed === 'string') return [part(null, 'markdown', parsed)]
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isMessage)) {
    return parsed.flatMap((message) => messageParts(message))
  }
  return [part(null, 'text', JSON.stringify(parsed, null, 2))]
}

type Message = Record<string, unknown> & { role: string }

function isMessage(value: unknown): value is Message {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { role?: unknown }).role === 'string'
  )
}

function messageParts(message: Message): ContentPartModel[] {
  const pieces = Array.isArray(message.parts) ? message.parts : message.content
  if (typeof pieces === 'string') return [part(message.role, 'markdown', pieces)]
  if (!Array.isArray(pieces)) {
    const { role, ...rest } = message
    return [part(role, 'text', JSON.stringify(rest, null, 2))]
  }
  return pieces.map((piece: unknown) => {
    const text = textOf(piece)
    return text === null
      ? part(message.role, 'text', JSON.stringify(piece, null, 2))
      : part(message.role, 'markdown', text)
  })
}

/** The text of a text part (`{ type: 'text', content }` or `{ type: 'text', text }`). */
function textOf(piece: unknown): string | null {
  if (typeof piece === 'string') return piece
  if (typeof piece !== 'object' || piece === null) return null
  const { type, content, text } = piece as Record<string, unknown>
  if (type !== 'text') return null
  if (typeof content === 'string') return content
  return typeof text === 'string' ? text : null
}

function part(role: string | null, format: ContentFormat, text: string): ContentPartModel {
  return { role, format, text, preview: previewOf(text) }
}

function previewOf(text: string): string | null {
  const lines = text.split('\n')
  if (text.length <= PREVIEW_CHARS && lines.length <= PREVIEW_LINES) return null
  return lines.slice(0, PREVIEW_LINES).join('\n').slice(0, PREVIEW_CHARS)
}

function parseJson(value: string): unknown {
  const trimmed = value.trim()
  if (!/^[[{"]/.test(trimmed)) return undefined
  try {
    return JSON.parse(trimmed) as unknown
  } catch {
    return undefined
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
