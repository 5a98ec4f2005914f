import { tool } from '@agentmeter/sdk'
import type Anthropic from '@anthropic-ai/sdk'
import type { MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages'

import type { TextRequest, ToolRequest, ToolRoundTrip } from './types'
import { findTool } from './types'

/** A Claude call; `cacheSystem` marks the system prompt with `cache_control`. */
export interface ClaudeTextRequest extends TextRequest {
  cacheSystem?: boolean
}

const DEFAULT_MAX_TOKENS = 1024

/** Ask Claude for text; streamed calls go through the `messages.stream()` helper. */
export async function claudeText(
  anthropic: Anthropic,
  request: ClaudeTextRequest,
): Promise<string> {
  return complete(anthropic, request, [{ role: 'user', content: request.user }])
}

/** One tool round trip over the Messages API. */
export async function claudeWithTool(
  anthropic: Anthropic,
  request: ToolRequest & { cacheSystem?: boolean },
): Promise<ToolRoundTrip> {
  const tools: Tool[] = request.tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters,
  }))
  const messages: MessageParam[] = [{ role: 'user', content: request.user }]
  const first = await anthropic.messages.create({
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    system: systemOf(request),
    messages,
    tools,
    tool_choice: { type: 'tool', name: request.use },
  })
  const call = first.content.find((block) => block.type === 'tool_use')
  if (call === undefined || call.type !== 'tool_use') {
    throw new Error(`${request.model} did not call ${request.use}`)
  }

  const args = (call.input ?? {}) as Record<string, unknown>
  const definition = findTool(request.tools, call.name)
  const result = await tool(definition.name, args, () => definition.run(args))
  const followUp: MessageParam[] = [
    ...messages,
    { role: 'assistant', content: first.content },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: JSON.stringify(result) }],
    },
  ]
  return { result, text: await complete(anthropic, request, followUp, tools) }
}

async function complete(
  anthropic: Anthropic,
  request: ClaudeTextRequest,
  messages: MessageParam[],
  tools?: Tool[],
): Promise<string> {
  const params = {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    system: systemOf(request),
    messages,
    ...(tools && { tools }),
  }
  const message = request.stream
    ? await anthropic.messages.stream(params).finalMessage()
    : await anthropic.messages.create(params)
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
}

function systemOf(request: ClaudeTextRequest): string | TextBlockParam[] {
  if (!request.cacheSystem) return request.system
  return [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }]
}
