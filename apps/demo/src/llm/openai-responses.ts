import { tool } from '@agentmeter/sdk'
import type OpenAI from 'openai'
import type { FunctionTool, ResponseInputItem } from 'openai/resources/responses/responses'

import type { TextRequest, ToolRequest, ToolRoundTrip } from './types'
import { findTool, parseArguments } from './types'

/** Ask a model through the Responses API for text; streamed calls read `response.completed`. */
export async function responsesText(openai: OpenAI, request: TextRequest): Promise<string> {
  return respond(openai, request, request.user)
}

/** One tool round trip over the Responses API. */
export async function responsesWithTool(
  openai: OpenAI,
  request: ToolRequest,
): Promise<ToolRoundTrip> {
  const tools: FunctionTool[] = request.tools.map((t) => ({
    type: 'function',
    name: t.name,
    description: t.description,
    parameters: t.parameters,
    strict: false,
  }))
  const input: ResponseInputItem[] = [{ role: 'user', content: request.user }]
  const first = await openai.responses.create({
    model: request.model,
    instructions: request.system,
    input,
    tools,
    tool_choice: { type: 'function', name: request.use },
  })
  const call = first.output.find((item) => item.type === 'function_call')
  if (call === undefined || call.type !== 'function_call') {
    throw new Error(`${request.model} did not call ${request.use}`)
  }

  const args = parseArguments(call.arguments)
  const definition = findTool(request.tools, call.name)
  const result = await tool(definition.name, args, () => definition.run(args))
  const followUp: ResponseInputItem[] = [
    ...input,
    call,
    { type: 'function_call_output', call_id: call.call_id, output: JSON.stringify(result) },
  ]
  return { result, text: await respond(openai, request, followUp, tools) }
}

async function respond(
  openai: OpenAI,
  request: TextRequest,
  input: string | ResponseInputItem[],
  tools?: FunctionTool[],
): Promise<string> {
  const params = {
    model: request.model,
    instructions: request.system,
    input,
    ...(tools && { tools }),
    ...(request.maxTokens !== undefined && { max_output_tokens: request.maxTokens }),
  }
  if (!request.stream) return (await openai.responses.create(params)).output_text

  const stream = await openai.responses.create({ ...params, stream: true })
  let text = ''
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta
  }
  return text
}
