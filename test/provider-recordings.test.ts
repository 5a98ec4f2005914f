import Anthropic from '@anthropic-ai/sdk'
import {
  init,
  instrumentAnthropic,
  instrumentOpenAI,
  task,
  type AgentmeterHandle,
} from '@agentmeter/sdk'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Every recorded OpenAI chat, OpenAI Responses and Anthropic Messages response, replayed to the
 * real clients, through the SDK and its OTLP exporter into a running collector on embedded
 * ClickHouse, and read back through the query API.
 *
 * Expected usage is in the OTel convention (input includes cache reads and writes; output
 * includes reasoning), taken from packages/replay/recordings/INDEX.md. Expected costs are
 * worked by hand from the providers' list prices per million tokens, written next to each case,
 * not computed by the code under test.
 */
interface Case {
  recording: string
  call: 'chat' | 'chat-stream' | 'responses' | 'responses-stream' | 'messages' | 'messages-stream'
  model: string
  usage: {
    inputTokens: number
    outputTokens: number
    cacheReadTokens: number
    cacheWriteTokens: number
    reasoningTokens: number
  } | null
  costUsd: number | null
}

const u = (
  inputTokens: number,
  outputTokens: number,
  cacheReadTokens = 0,
  cacheWriteTokens = 0,
  reasoningTokens = 0,
) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
  reasoningTokens,
})

const CASES: Case[] = [
  // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out. 22 × 0.15 + 3 × 0.60 = 5.1 µ$
  {
    recording: 'openai-chat-basic.json',
    call: 'chat',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(22, 3),
    costUsd: 0.0000051,
  },
  // 22 × 0.15 + 4 × 0.60 = 5.7 µ$
  {
    recording: 'openai-chat-stream-include-usage.sse',
    call: 'chat-stream',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(22, 4),
    costUsd: 0.0000057,
  },
  // No usage chunk: unknown usage, unpriced.
  {
    recording: 'openai-chat-stream-no-usage.sse',
    call: 'chat-stream',
    model: 'gpt-3.5-turbo-0125',
    usage: null,
    costUsd: null,
  },
  // 57 × 0.15 + 46 × 0.60 = 36.15 µ$
  {
    recording: 'openai-chat-tool-calls-parallel.json',
    call: 'chat',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(57, 46),
    costUsd: 0.00003615,
  },
  // 125 × 0.15 + 26 × 0.60 = 34.35 µ$
  {
    recording: 'openai-chat-tool-result-followup.json',
    call: 'chat',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(125, 26),
    costUsd: 0.00003435,
  },
  {
    recording: 'openai-chat-stream-parallel-tool-calls-no-usage.sse',
    call: 'chat-stream',
    model: 'gpt-4o-mini-2024-07-18',
    usage: null,
    costUsd: null,
  },
  // gpt-4-0613: $30 / $60. 82 × 30 + 16 × 60 = 3420 µ$
  {
    recording: 'openai-chat-legacy-function-call.json',
    call: 'chat',
    model: 'gpt-4-0613',
    usage: u(82, 16),
    costUsd: 0.00342,
  },
  // gpt-5-nano: $0.05 / $0.40; reasoning 64 is inside completion 78. 15 × 0.05 + 78 × 0.40 = 31.95 µ$
  {
    recording: 'azure-openai-chat-stream-reasoning-usage.sse',
    call: 'chat-stream',
    model: 'gpt-5-nano-2025-08-07',
    usage: u(15, 78, 0, 0, 64),
    costUsd: 0.00003195,
  },
  // grok-3-mini: $0.30 in, $0.075 cached, $0.50 out; reasoning 255 is outside completion 26.
  // 63 × 0.30 + 244 × 0.075 + 281 × 0.50 = 177.7 µ$ (xAI billed 1,777,000 ticks of 1e-10 USD)
  {
    recording: 'xai-chat-tool-call-cached-reasoning.json',
    call: 'chat',
    model: 'grok-3-mini',
    usage: u(307, 281, 244, 0, 255),
    costUsd: 0.0001777,
  },
  // 14 × 0.15 + 26 × 0.60 = 17.7 µ$
  {
    recording: 'openai-responses-basic.json',
    call: 'responses',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(14, 26),
    costUsd: 0.0000177,
  },
  // 1 × 0.15 + 13 × 0.075 + 26 × 0.60 = 16.725 µ$
  {
    recording: 'openai-responses-cached-tokens.json',
    call: 'responses',
    model: 'gpt-4o-mini-2024-07-18',
    usage: u(14, 26, 13),
    costUsd: 0.000016725,
  },
  // gpt-5-mini: $0.25 in, $0.025 cached, $2 out. 865 × 0.25 + 163 × 2 = 542.25 µ$
  {
    recording: 'openai-responses-reasoning.json',
    call: 'responses',
    model: 'gpt-5-mini-2025-08-07',
    usage: u(865, 163, 0, 0, 128),
    costUsd: 0.00054225,
  },
  // 1433 × 0.25 + 2304 × 0.025 + 621 × 2 = 1657.85 µ$, + one file_search_call (with three
  // queries, billed as one tool call) at $2.50 per thousand = 2500 µ$: 4157.85 µ$
  {
    recording: 'openai-responses-stream-file-search-cached-reasoning.sse',
    call: 'responses-stream',
    model: 'gpt-5-mini-2025-08-07',
    usage: u(3737, 621, 2304, 0, 512),
    costUsd: 0.00415785,
  },
  // gpt-5-codex at gpt-5 prices, $1.25 / $10. 407 × 1.25 + 151 × 10 = 2018.75 µ$
  {
    recording: 'openai-responses-stream-local-shell-tool.sse',
    call: 'responses-stream',
    model: 'gpt-5-codex',
    usage: u(407, 151, 0, 0, 128),
    costUsd: 0.00201875,
  },
  // claude-3-opus: $15 / $75. 17 × 15 + 137 × 75 = 10530 µ$
  {
    recording: 'anthropic-messages-basic.json',
    call: 'messages',
    model: 'claude-3-opus-20240229',
    usage: u(17, 137),
    costUsd: 0.01053,
  },
  // Output from message_delta (158), input from message_start (17): 255 + 11850 = 12105 µ$
  {
    recording: 'anthropic-messages-stream.sse',
    call: 'messages-stream',
    model: 'claude-3-opus-20240229',
    usage: u(17, 158),
    costUsd: 0.012105,
  },
  // claude-3-haiku: $0.25 in, $0.30 5m write, $1.25 out; Anthropic's 1231 excludes the 1200 written.
  // 1231 × 0.25 + 1200 × 0.30 + 5 × 1.25 = 674 µ$
  {
    recording: 'anthropic-messages-cache-write.json',
    call: 'messages',
    model: 'claude-3-haiku-20240307',
    usage: u(2431, 5, 0, 1200),
    costUsd: 0.000674,
  },
  // claude-opus-4-1: $15 / $75; thinking is inside output. 49 × 15 + 186 × 75 = 14685 µ$
  {
    recording: 'anthropic-messages-thinking.json',
    call: 'messages',
    model: 'claude-opus-4-1-20250805',
    usage: u(49, 186),
    costUsd: 0.014685,
  },
  // 602 × 15 + 93 × 75 = 16005 µ$
  {
    recording: 'anthropic-messages-tool-use.json',
    call: 'messages',
    model: 'claude-3-opus-20240229',
    usage: u(602, 93),
    costUsd: 0.016005,
  },
  // claude-sonnet-4-5: $3 / $15. 565 × 3 + 48 × 15 = 2415 µ$
  {
    recording: 'anthropic-messages-stream-tool-use.sse',
    call: 'messages-stream',
    model: 'claude-sonnet-4-5-20250929',
    usage: u(565, 48),
    costUsd: 0.002415,
  },
  // claude-sonnet-5: $2 in, $2.50 5m write, $0.20 read, $10 out; the final message_delta wins.
  // 6 × 2 + 3337 × 2.5 + 6289 × 0.2 + 198 × 10 = 11592.3 µ$
  {
    recording: 'anthropic-messages-stream-cache-read-server-tools.sse',
    call: 'messages-stream',
    model: 'claude-sonnet-5',
    usage: u(9632, 198, 6289, 3337),
    costUsd: 0.0115923,
  },
  // claude-opus-4-5: $5 / $25; the larger cumulative input in message_delta wins. 61 × 5 + 2 × 25 = 355 µ$
  {
    recording: 'anthropic-messages-stream-delta-input-tokens.sse',
    call: 'messages-stream',
    model: 'claude-opus-4-5-20251101',
    usage: u(61, 2),
    costUsd: 0.000355,
  },
  // claude-sonnet-4: $3 / $15 per million, plus 2 web searches at $10 per thousand.
  // 27118 × 3 + 600 × 15 = 90354 µ$, + 20000 µ$ of searches = 110354 µ$
  {
    recording: 'anthropic-messages-web-search.json',
    call: 'messages',
    model: 'claude-sonnet-4-20250514',
    usage: u(27118, 600),
    costUsd: 0.110354,
  },
]

let collector: TestCollector
let replay: ReplayServer
let sdk: AgentmeterHandle
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  collector = await createTestCollector()
  replay = await startReplayServer()
  sdk = init({ endpoint: collector.url, apiKey: collector.apiKey, serviceName: 'recordings-e2e' })
  openai = instrumentOpenAI(
    new OpenAI({ apiKey: 'test', baseURL: replay.openaiBaseURL, maxRetries: 0 }),
  )
  anthropic = instrumentAnthropic(
    new Anthropic({ apiKey: 'test', baseURL: replay.anthropicBaseURL, maxRetries: 0 }),
  )

  for (const testCase of CASES) {
    replay.enqueue(testCase.recording)
    await task(testCase.recording, () => callProvider(testCase))
  }
  await sdk.forceFlush()
})

afterAll(async () => {
  await sdk?.shutdown()
  await replay?.close()
  await collector?.close()
})

async function callProvider(testCase: Case): Promise<void> {
  const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }]
  switch (testCase.call) {
    case 'chat':
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
      return
    case 'chat-stream': {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      for await (const _chunk of stream) {
        // drain
      }
      return
    }
    case 'responses':
      await openai.responses.create({
        model: 'gpt-4o-mini',
        input: 'What is the weather in Paris?',
      })
      return
    case 'responses-stream': {
      const stream = await openai.responses.create({
        model: 'gpt-5-mini',
        input: 'Search my files',
        stream: true,
      })
      for await (const _event of stream) {
        // drain
      }
      return
    }
    case 'messages':
      await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages })
      return
    case 'messages-stream': {
      const stream = await anthropic.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages,
        stream: true,
      })
      for await (const _event of stream) {
        // drain
      }
    }
  }
}

interface ApiSpan {
  kind: string
  model: string
  usage: Case['usage']
  costUsd: number | null
  priced: boolean
}

describe('recorded provider responses end to end', () => {
  it('should have sent every recording to the replay server', () => {
    expect(replay.requests).toHaveLength(CASES.length)
  })

  it.each(CASES)('should store the exact usage and cost of $recording', async (testCase) => {
    const list = await collector.api<{ tasks: Array<{ taskId: string; llmCalls: number }> }>(
      `/api/v1/tasks?name=${encodeURIComponent(testCase.recording)}`,
    )
    expect(list.body.tasks).toHaveLength(1)
    expect(list.body.tasks[0]!.llmCalls).toBe(1)

    const detail = await collector.api<{
      task: { costUsd: number | null; unpricedCalls: number }
      spans: ApiSpan[]
    }>(`/api/v1/tasks/${list.body.tasks[0]!.taskId}`)
    const llm = detail.body.spans.filter((span) => span.kind === 'llm')
    expect(llm).toHaveLength(1)
    expect(llm[0]!.model).toBe(testCase.model)
    expect(llm[0]!.usage).toEqual(testCase.usage)
    if (testCase.costUsd === null) {
      expect(llm[0]!.priced).toBe(false)
      expect(llm[0]!.costUsd).toBeNull()
      expect(detail.body.task).toMatchObject({ costUsd: null, unpricedCalls: 1 })
    } else {
      expect(llm[0]!.priced).toBe(true)
      expect(Math.abs(llm[0]!.costUsd! - testCase.costUsd)).toBeLessThan(1e-9)
      expect(Math.abs(detail.body.task.costUsd! - testCase.costUsd)).toBeLessThan(1e-9)
    }
  })
})
