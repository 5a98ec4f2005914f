import type Anthropic from '@anthropic-ai/sdk'
import type OpenAI from 'openai'

import { claudeText, claudeWithTool } from './anthropic'
import { chatText, chatWithTool } from './openai-chat'
import { responsesText, responsesWithTool } from './openai-responses'
import type { TextRequest, ToolRequest, ToolRoundTrip } from './types'

/** The two provider clients every agent gets. */
export interface LlmClients {
  openai: OpenAI
  anthropic: Anthropic
}

/** Which OpenAI API a call goes through; Claude models always use Messages. */
export type OpenAIApi = 'chat' | 'responses'

/** Routing for one call: OpenAI API and, for Claude, whether to cache the system prompt. */
export interface CallOptions {
  /** @default 'chat' */
  api?: OpenAIApi
  /** Mark Claude's system prompt with `cache_control` (ignored for OpenAI, which caches alone). */
  cacheSystem?: boolean
}

/** Ask `request.model` for text, through the client and API that serve it. */
export function ask(clients: LlmClients, request: TextRequest & CallOptions): Promise<string> {
  if (isClaude(request.model)) return claudeText(clients.anthropic, request)
  return request.api === 'responses'
    ? responsesText(clients.openai, request)
    : chatText(clients.openai, request)
}

/** One tool round trip with `request.model`, through the client and API that serve it. */
export function askWithTool(
  clients: LlmClients,
  request: ToolRequest & CallOptions,
): Promise<ToolRoundTrip> {
  if (isClaude(request.model)) return claudeWithTool(clients.anthropic, request)
  return request.api === 'responses'
    ? responsesWithTool(clients.openai, request)
    : chatWithTool(clients.openai, request)
}

function isClaude(model: string): boolean {
  return model.startsWith('claude-')
}
