/**
 * The SDK benchmark's provider: the loopback replay server of `packages/replay`, started in
 * process, answers each kind of call once over HTTP; its answers are then served from memory
 * through the clients' `fetch` option. The real `openai` and `@anthropic-ai/sdk` clients still
 * build, send and parse every request and stream, but no socket sits on the measured path: a
 * loopback round trip costs ~100 µs of jittery CPU, which would bury the few microseconds the
 * SDK is allowed.
 */

import Anthropic from '@anthropic-ai/sdk'
import { startReplayServer } from '@agentmeter/replay'
// The SDK's index, not its `import` entry: see startSdk in sdk-harness.ts.
import { instrumentAnthropic, instrumentOpenAI } from '../../packages/sdk/src/index'
import OpenAI from 'openai'

export type CallKind = 'openai chat' | 'openai chat stream' | 'anthropic' | 'anthropic stream'
export const CALL_KINDS: CallKind[] = [
  'openai chat',
  'openai chat stream',
  'anthropic',
  'anthropic stream',
]

interface Recorded {
  contentType: string
  body: Uint8Array<ArrayBuffer>
}

/** An agent turn: a 1.5 KB system prompt, a few earlier turns, two tool definitions. */
function history(turns: number): { role: 'user' | 'assistant'; content: string }[] {
  const messages: { role: 'user' | 'assistant'; content: string }[] = []
  for (let turn = 0; turn < turns; turn++) {
    messages.push(
      { role: 'user', content: `Order ORD-${turn} arrived damaged; what are my options?` },
      { role: 'assistant', content: `I checked order ORD-${turn}: a refund or a replacement.` },
    )
  }
  return messages
}

const SYSTEM = 'You are a support agent for an online shop. Be brief and precise. '.repeat(22)
const HISTORY = history(3)
const TOOLS = [
  { name: 'lookup_order', description: 'Find an order by id', schema: { id: 'string' } },
  { name: 'refund', description: 'Refund an order', schema: { id: 'string', amount: 'number' } },
]

/**
 * One call's request body. The history objects are shared between calls, as an agent loop
 * keeps its message list; each call adds one new user message, as each turn does (`lastMessage`
 * replaces its text, e.g. with a long tool output).
 */
export function requestBody(
  kind: CallKind,
  call: number,
  lastMessage?: string,
): Record<string, unknown> {
  const question = {
    role: 'user',
    content: lastMessage ?? `Turn ${call}: please refund order ORD-${call}.`,
  }
  const stream = kind.endsWith('stream')
  if (kind.startsWith('openai')) {
    return {
      model: 'gpt-4o-mini',
      temperature: 0,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      messages: [{ role: 'system', content: SYSTEM }, ...HISTORY, question],
      tools: TOOLS.map((tool) => ({
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.schema },
      })),
    }
  }
  return {
    model: 'claude-sonnet-4-20250514',
    max_tokens: 512,
    stream,
    system: SYSTEM,
    messages: [...HISTORY, question],
    tools: TOOLS.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object', properties: tool.schema },
    })),
  }
}

export interface ReplayedClients {
  /** Runs one call of `kind` to completion (a stream is read to its end). */
  call(kind: CallKind, index: number, traced: boolean, lastMessage?: string): Promise<unknown>
}

/**
 * Records the replay server's answer to each kind of call, then serves them from memory; or,
 * given `openaiBaseURL` (a replay server in another process, see replay-process.ts), sends every
 * call over loopback HTTP, as an app's calls wait on the network.
 */
export async function createReplayedClients(loopback?: {
  openaiBaseURL: string
}): Promise<ReplayedClients> {
  const server = await startReplayServer()
  const recorded = new Map<string, Recorded>()
  try {
    for (const kind of CALL_KINDS) {
      const url = kind.startsWith('openai')
        ? `${server.openaiBaseURL}/chat/completions`
        : `${server.anthropicBaseURL}/v1/messages`
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(requestBody(kind, 0)),
      })
      if (response.status !== 200) throw new Error(`replay server answered ${response.status}`)
      recorded.set(recordingKey(kind.startsWith('openai'), kind.endsWith('stream')), {
        contentType: response.headers.get('content-type') ?? 'application/json',
        body: new Uint8Array(await response.arrayBuffer()),
      })
    }
  } finally {
    await server.close()
  }

  const replay: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const text = typeof init?.body === 'string' ? init.body : ''
    const stream = /"stream":\s*true/.test(text)
    const answer = recorded.get(recordingKey(url.includes('/chat/completions'), stream))!
    return new Response(answer.body, {
      status: 200,
      headers: { 'content-type': answer.contentType },
    })
  }
  const makeOpenAI = () =>
    new OpenAI({
      apiKey: 'sk-bench',
      maxRetries: 0,
      ...(loopback
        ? { baseURL: loopback.openaiBaseURL }
        : { baseURL: 'http://replay.invalid/v1', fetch: replay }),
    })
  const makeAnthropic = () =>
    new Anthropic({
      apiKey: 'sk-bench',
      maxRetries: 0,
      ...(loopback
        ? { baseURL: loopback.openaiBaseURL.replace(/\/v1$/, '') }
        : { baseURL: 'http://replay.invalid', fetch: replay }),
    })
  // Traced clients are wrapped per instance, so the plain ones next to them stay untraced.
  const plain = { openai: makeOpenAI(), anthropic: untracedAnthropic(makeAnthropic()) }
  const traced = {
    openai: instrumentOpenAI(makeOpenAI()),
    anthropic: instrumentAnthropic(makeAnthropic()),
  }
  const originalCreate = OpenAI.Chat.Completions.prototype.create
  if (plain.openai.chat.completions.create !== originalCreate) {
    throw new Error(
      'the plain OpenAI client is patched; the uninstrumented baseline would be traced',
    )
  }
  if (traced.openai.chat.completions.create === originalCreate) {
    throw new Error('instrumentOpenAI() did not wrap the traced client')
  }
  return {
    async call(kind, index, withSdk, lastMessage) {
      const { openai, anthropic } = withSdk ? traced : plain
      const body = requestBody(kind, index, lastMessage) as never
      if (kind === 'openai chat') return openai.chat.completions.create(body)
      if (kind === 'anthropic') return anthropic.messages.create(body)
      const stream = (await (kind === 'openai chat stream'
        ? openai.chat.completions.create(body)
        : anthropic.messages.create(body))) as unknown as AsyncIterable<unknown>
      let events = 0
      for await (const _event of stream) events++
      return events
    },
  }
}

/**
 * Since 1.x an Anthropic client makes OTel spans of its own whenever a tracer provider is
 * registered (our wrapper turns those off for the call it traces). The baseline is a call with
 * no tracing at all, so the plain client's tracer is cleared.
 */
function untracedAnthropic(client: Anthropic): Anthropic {
  const fields = client as unknown as Record<string, unknown>
  if (!('_tracer' in fields)) throw new Error('@anthropic-ai/sdk has no _tracer field any more')
  fields['_tracer'] = undefined
  return client
}

function recordingKey(openai: boolean, stream: boolean): string {
  return `${openai ? 'openai' : 'anthropic'}:${stream ? 'stream' : 'json'}`
}
