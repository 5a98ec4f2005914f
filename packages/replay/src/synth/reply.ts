import { createRandom } from './determinism'
import { estimateTokens } from './prompt'
import { toolArguments } from './tool-args'

/** A tool the request offers, in provider-neutral form. */
export interface OfferedTool {
  name: string
  /** JSON schema of the arguments. */
  parameters: unknown
}

/** `tool_choice` in provider-neutral form (`any` is OpenAI's `required`). */
export type ToolChoice =
  { type: 'auto' } | { type: 'none' } | { type: 'any' } | { type: 'tool'; name: string }

/** What the synthesizer needs to know about a request, whatever its API. */
export interface ReplyRequest {
  /** `requestSeed` of the body. */
  seed: string
  model: string
  /** Text of the last user message, where tool arguments are drawn from. */
  lastUserText: string
  tools: readonly OfferedTool[]
  toolChoice: ToolChoice
  /** True once the conversation holds a tool result. */
  hasToolResult: boolean
  maxOutputTokens?: number
  /** Claude says a few words before it calls a tool; GPT models usually do not. */
  textBeforeToolCall: boolean
}

/** The synthesized answer, before it is dressed in one API's shape. */
export interface Reply {
  text: string
  toolCall?: { name: string; input: Record<string, unknown>; arguments: string }
  /** Hidden reasoning, part of `outputTokens`. */
  reasoningTokens: number
  outputTokens: number
  finish: 'stop' | 'length' | 'tool_call'
}

const SENTENCES = [
  'The request is clear and can be handled with the information provided.',
  'I checked the details and found nothing that contradicts the main claim.',
  'The most likely cause is a configuration change made shortly before the issue started.',
  'Two of the sources agree on the figures, and the third gives a slightly older estimate.',
  'A short, direct reply should resolve this without escalation.',
  'The change is small, but the error handling around the network call deserves a second look.',
  'Overall the evidence points in one direction, with a few open questions noted below.',
  'I would handle the immediate problem first and follow up on the refund separately.',
  'The function does what its name says, although the early return hides one edge case.',
  'Key findings: adoption is growing steadily, costs are falling, and tooling is maturing.',
  'Next, confirm the account status and the shipping date before promising anything.',
  'There is no sign of a security problem, but input validation could be stricter.',
  'The summary below keeps only the points that matter for the decision.',
  'This looks like a known issue with a documented workaround.',
  'The tests cover the main path; the failure path is not exercised yet.',
  'Recommendation: proceed, and revisit the estimate once the next data point arrives.',
  'The customer has been patient, so the reply should acknowledge the delay.',
  'Nothing in the diff changes the public interface.',
  'I could not find a primary source for that number, so treat it as approximate.',
  'The plan has three parts: gather sources, compare them, and write a short report.',
]

// Requests that ask for prose get a longer answer than lookups and labels.
const LONG_FORM = /\b(write|draft|report|summari[sz]e|summary|review|explain)/i

// Reasoning models bill hidden reasoning tokens as output.
const REASONING_MODEL = /^(o\d|gpt-5)/

/** Decide what the model "says": text or a tool call, and how many output tokens that costs. */
export function planReply(request: ReplyRequest): Reply {
  const random = createRandom(request.seed)
  const reasoningTokens = REASONING_MODEL.test(request.model)
    ? 64 * (1 + Math.floor(random() * 4))
    : 0
  const tool = chooseTool(request)

  if (tool !== undefined) {
    const input = toolArguments(tool.parameters, request.lastUserText, random)
    const args = JSON.stringify(input)
    const text = request.textBeforeToolCall ? `I'll use the ${tool.name} tool for this.` : ''
    const outputTokens =
      reasoningTokens + estimateTokens(text.length + tool.name.length + args.length)
    return {
      text,
      toolCall: { name: tool.name, input, arguments: args },
      reasoningTokens,
      outputTokens,
      finish: 'tool_call',
    }
  }

  const long = LONG_FORM.test(request.lastUserText)
  const count = long ? 3 + Math.floor(random() * 4) : 1 + Math.floor(random() * 2)
  return limitOutput(
    pickSentences(count, random).join(' '),
    reasoningTokens,
    request.maxOutputTokens,
  )
}

/** Split text into stream deltas of a few words each; joined they give the text back. */
export function splitForStream(text: string, wordsPerDelta = 3): string[] {
  const words = text.match(/\s*\S+/g) ?? []
  const deltas: string[] = []
  for (let i = 0; i < words.length; i += wordsPerDelta) {
    deltas.push(words.slice(i, i + wordsPerDelta).join(''))
  }
  return deltas
}

/** Split tool-call arguments into three stream deltas (fewer when the JSON is short). */
export function splitArguments(args: string): string[] {
  const size = Math.max(1, Math.ceil(args.length / 3))
  const pieces: string[] = []
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size))
  return pieces
}

function chooseTool(request: ReplyRequest): OfferedTool | undefined {
  const { tools, toolChoice } = request
  if (tools.length === 0 || toolChoice.type === 'none') return undefined
  if (toolChoice.type === 'tool') return tools.find((tool) => tool.name === toolChoice.name)
  if (toolChoice.type === 'any') return tools[0]
  return request.hasToolResult ? undefined : tools[0]
}

function pickSentences(count: number, random: () => number): string[] {
  const pool = [...SENTENCES]
  const picked: string[] = []
  for (let i = 0; i < count && pool.length > 0; i++) {
    picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!)
  }
  return picked
}

function limitOutput(text: string, reasoning: number, maxTokens: number | undefined): Reply {
  const textTokens = estimateTokens(text.length)
  if (maxTokens === undefined || reasoning + textTokens <= maxTokens) {
    return {
      text,
      reasoningTokens: reasoning,
      outputTokens: reasoning + textTokens,
      finish: 'stop',
    }
  }
  const reasoningTokens = Math.min(reasoning, maxTokens)
  const kept = text.slice(0, (maxTokens - reasoningTokens) * 4)
  return {
    text: kept,
    reasoningTokens,
    outputTokens: reasoningTokens + estimateTokens(kept.length),
    finish: 'length',
  }
}
