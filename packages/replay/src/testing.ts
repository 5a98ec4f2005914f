import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'

import { startReplayServer } from './replay-server'
import type { ReplayServer } from './replay-server'

/** A replay server with real clients pointed at it (no retries, so every call is one request). */
export interface TestClients {
  server: ReplayServer
  openai: OpenAI
  anthropic: Anthropic
}

/** Start a replay server and create the two real clients for it; for this package's tests. */
export async function createTestClients(): Promise<TestClients> {
  const server = await startReplayServer()
  return {
    server,
    openai: new OpenAI({ apiKey: 'sk-replay', baseURL: server.openaiBaseURL, maxRetries: 0 }),
    anthropic: new Anthropic({
      apiKey: 'sk-replay',
      baseURL: server.anthropicBaseURL,
      maxRetries: 0,
    }),
  }
}
