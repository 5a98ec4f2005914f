import { tool } from '@agentmeter/sdk'
import type OpenAI from 'openai'
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'

import type { TextRequest, ToolRequest, ToolRoundTrip } from './types'
import { findTool, parseArguments } from './types'

/** Ask a chat-completions model for text; streamed calls ask for the usage chunk. */
export async function chatText(openai: OpenAI, request: TextRequest): Promise<string> {
  return complete(openai, request, messagesOf(request))
}

/** One tool round trip over chat completions. */
export async function chatWithTool(openai: OpenAI, request: ToolRequest): Promise<ToolRoundTrip> {
  const tools: ChatCompletionTool[] = request.tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }))
  const messages = messagesOf(request)
  const first = await openai.chat.completions.create({
    model: request.model,
    messages,
    tools,
    tool_choice: { type: 'function', function: { name: request.use } },
  })
  const message = first.choices[0]?.message
  const call = message?.tool_calls?.find((c) => c.type === 'function')
  if (message === undefined || call === undefined || call.type !== 'function') {
    throw new Error(`${request.model} did not call ${request.use}`)
  }

  const args = parseArguments(call.function.arguments)
  const definition = findTool(request.tools, call.function.name)
  const result = await tool(definition.name, args, () => definition.run(args))
  const followUp: ChatCompletionMessageParam[] = [
    ...messages,
    message,
    { role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) },
  ]
  return { result, text: await complete(openai, request, followUp, tools) }
}

async function complete(
  openai: OpenAI,
  request: TextRequest,
  messages: ChatCompletionMessageParam[],
  tools?: ChatCompletionTool[],
): Promise<string> {
  const params = {
    model: request.model,
    messages,
    ...(tools && { tools }),
    ...(request.maxTokens !== undefined && { max_completion_tokens: request.maxTokens }),
  }
  if (!request.stream) {
    const completion = await openai.chat.completions.create(params)
    return completion.choices[0]?.message.content ?? ''
  }

  const stream = await openai.chat.completions.create({
    ...params,
    stream: true,
    stream_options: { include_usage: true },
  })
  let text = ''
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
  return text
}

function messagesOf(request: TextRequest): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: request.system },
    { role: 'user', content: request.user },
  ]
}
