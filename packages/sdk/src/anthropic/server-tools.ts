import type { RequestCounts } from '@agentmeter/core'
import { asRecord } from '../llm/shape'

/** Content blocks that are tool calls the model made (client-side or run by the server). */
export const TOOL_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use'])

/** Web searches run by Anthropic's server tool, billed per search (`usage.server_tool_use`). */
export function serverToolRequests(usage: unknown): RequestCounts {
  const count = asRecord(asRecord(usage)?.['server_tool_use'])?.['web_search_requests']
  return typeof count === 'number' && Number.isInteger(count) && count > 0
    ? { webSearches: count }
    : {}
}
