import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * An ESM agent app (fixtures/esm-app/agent.mjs) run as users run one: `import OpenAI from
 * 'openai'` loads the clients' ESM builds, and `node --import tsx` (what `npx tsx agent.ts` sets
 * up) also hooks `require`, so a `require()` of an ESM build gets a copy of its own. init() alone
 * must trace the plain clients the app made, once per call, through a real collector.
 */
const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/esm-app/agent.mjs')
// tsx's own register entry (ESM and CommonJS hooks), as `npx tsx` installs it.
const TSX = pathToFileURL(
  createRequire(path.resolve(import.meta.dirname, '../package.json')).resolve('tsx'),
).href
const TASK_NAME = 'esm-app-task'

let collector: TestCollector
let replay: ReplayServer

beforeAll(async () => {
  collector = await createTestCollector()
  replay = await startReplayServer()
})

afterAll(async () => {
  await replay?.close()
  await collector?.close()
})

interface TaskList {
  tasks: Array<{
    taskId: string
    llmCalls: number
    inputTokens: number
    outputTokens: number
    costUsd: number
  }>
}
interface TaskDetail {
  spans: Array<{
    name: string
    kind: string
    step: string
    provider: string
    usage: { inputTokens: number; outputTokens: number } | null
  }>
}

describe('init() in an ESM app outside the SDK', () => {
  it('should trace plain OpenAI and Anthropic clients loaded as ESM, once per call', async () => {
    replay.enqueue('openai-chat-basic.json')
    replay.enqueue('openai-chat-basic.json')
    replay.enqueue('anthropic-messages-basic.json')

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX, FIXTURE], {
      // The app's own directory, as `npx tsx agent.ts` runs: its node_modules has the clients.
      cwd: import.meta.dirname,
      env: {
        ...process.env,
        FIXTURE_COLLECTOR_URL: collector.url,
        FIXTURE_API_KEY: collector.apiKey,
        FIXTURE_OPENAI_BASE_URL: replay.openaiBaseURL,
        FIXTURE_ANTHROPIC_BASE_URL: replay.anthropicBaseURL,
        FIXTURE_TASK_NAME: TASK_NAME,
      },
      timeout: 60_000,
    })
    expect(replay.requests.map((request) => request.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/messages',
    ])
    // Task, three steps and three calls: seven spans, all exported.
    expect(JSON.parse(stdout)).toMatchObject({ exportedSpans: 7, droppedSpans: 0, failedSpans: 0 })

    const list = await collector.api<TaskList>(`/api/v1/tasks?name=${TASK_NAME}`)
    expect(list.body.tasks).toHaveLength(1)
    const [summary] = list.body.tasks
    expect(summary).toMatchObject({ llmCalls: 3, inputTokens: 61, outputTokens: 143 })
    // gpt-4o-mini twice, 22 × $0.15/M + 3 × $0.60/M each;
    // claude-3-opus once, 17 × $15/M + 137 × $75/M.
    expect(Math.abs(summary!.costUsd - 0.0105402)).toBeLessThan(1e-12)

    const detail = await collector.api<TaskDetail>(`/api/v1/tasks/${summary!.taskId}`)
    const llmSpans = detail.body.spans
      .filter((span) => span.kind === 'llm')
      .map(({ name, step, provider, usage }) => ({ name, step, provider, usage }))
      .sort((a, b) => (a.step < b.step ? -1 : 1))
    // Our spans (`chat {model}`), not the Anthropic client's own `anthropic.messages.create`.
    expect(llmSpans).toEqual([
      {
        name: 'chat claude-3-opus-20240229',
        step: 'plain-anthropic',
        provider: 'anthropic',
        usage: expect.objectContaining({ inputTokens: 17, outputTokens: 137 }),
      },
      {
        name: 'chat gpt-4o-mini',
        step: 'plain-openai',
        provider: 'openai',
        usage: expect.objectContaining({ inputTokens: 22, outputTokens: 3 }),
      },
      {
        name: 'chat gpt-4o-mini',
        step: 'wrapped-openai',
        provider: 'openai',
        usage: expect.objectContaining({ inputTokens: 22, outputTokens: 3 }),
      },
    ])
  })
})
