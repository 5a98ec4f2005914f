import { startReplayServer } from '@agentmeter/replay'
import type { ReplayServer } from '@agentmeter/replay'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createRng } from '../prng'
import { AGENTS } from '.'

// Without init() the SDK's task/step/tool are plain calls, so this sees only what the agents
// send to the provider: the mix a dashboard will show.
let replay: ReplayServer
const errors: string[] = []

beforeAll(async () => {
  replay = await startReplayServer()
  const openai = new OpenAI({ apiKey: 'x', baseURL: replay.openaiBaseURL, maxRetries: 0 })
  const anthropic = new Anthropic({ apiKey: 'x', baseURL: replay.anthropicBaseURL, maxRetries: 0 })
  const rng = createRng(2024)
  for (const { agent } of AGENTS) {
    for (let i = 0; i < 20; i++) {
      const prepared = agent.prepare({ openai, anthropic, rng: rng.fork() })
      await prepared.run().catch((error: Error) => errors.push(`${agent.name}: ${error.message}`))
    }
  }
})

afterAll(() => replay.close())

type Body = Record<string, unknown>
const bodies = () => replay.requests.map((r) => r.body as Body)

describe('demo agents', () => {
  it('should use every model of the mix through all three APIs', () => {
    const models = new Set(bodies().map((body) => body.model))
    const paths = new Set(replay.requests.map((r) => r.path))

    expect([...models].sort()).toEqual([
      'claude-haiku-4-5',
      'claude-opus-4-1',
      'claude-sonnet-4-5',
      'gpt-4.1',
      'gpt-4o',
      'gpt-4o-mini',
      'gpt-5-mini',
    ])
    expect([...paths].sort()).toEqual(['/v1/chat/completions', '/v1/messages', '/v1/responses'])
  })

  it('should stream some calls, asking for usage on chat completions', () => {
    const streamed = bodies().filter((body) => body.stream === true)
    const chat = replay.requests.filter(
      (r) => r.path === '/v1/chat/completions' && (r.body as Body).stream === true,
    )

    expect(streamed.length).toBeGreaterThan(10)
    expect(chat.length).toBeGreaterThan(0)
    expect(chat.every((r) => (r.body as Body).stream_options !== undefined)).toBe(true)
  })

  it('should send some identical requests more than once', () => {
    const seen = new Map<string, number>()
    for (const body of bodies()) {
      const key = JSON.stringify(body)
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }

    expect([...seen.values()].filter((count) => count > 1).length).toBeGreaterThan(3)
  })

  it('should mark the long Claude system prompts for caching', () => {
    const cached = bodies().filter((body) => Array.isArray(body.system))

    expect(cached.length).toBeGreaterThan(5)
  })

  it('should fail some tasks in their tools, with the tool error', () => {
    expect(errors.length).toBeGreaterThan(0)
    // Each ticket with a mistyped order number has a number of its own (ORD-9 and five digits).
    const kinds = errors.map((error) => error.replace(/ORD-9\d{5}/, 'ORD-9xxxxx'))
    expect(new Set(kinds)).toEqual(
      new Set([
        'code-review: assets/logo.png is a binary file',
        'ticket-triage: order ORD-9xxxxx not found',
      ]),
    )
  })

  it('should bring new work in most tasks, not replay a few fixed inputs', () => {
    // 20 tasks of each agent: its ticket, pull request or brief, as the first call names it.
    const text = bodies().map((body) => JSON.stringify(body))
    const distinct = (pattern: RegExp) =>
      new Set(text.flatMap((body) => [...body.matchAll(pattern)].map((match) => match[1]))).size
    expect(distinct(/Classify the support ticket[^]*?Order (ORD-\d+)\./g)).toBeGreaterThanOrEqual(
      15,
    )
    expect(distinct(/Plan the review of pull request (PR-\d+)/g)).toBeGreaterThanOrEqual(15)
    expect(distinct(/Plan research on ([^.]+)\./g)).toBeGreaterThanOrEqual(15)
  })
})
