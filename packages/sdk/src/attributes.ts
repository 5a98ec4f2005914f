/**
 * Attribute names the SDK writes beyond `@agentmeter/core`'s `GenAi` and `Agentmeter` lists:
 * OTel general names and the opt-in content names of the GenAI conventions, plus a few
 * `agentmeter.*` names that describe how a call ended.
 */
export const SdkAttr = {
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  /** JSON array of `{ id, name }` (plus `arguments` when content is captured), one per call. */
  responseToolCalls: 'gen_ai.response.tool_calls',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  /** `completed`, `cancelled` (the app stopped reading), `aborted`, `error` or `raw_response`. */
  endReason: 'agentmeter.call.end_reason',
  /** True when the call ended before the provider's final usage arrived. */
  usagePartial: 'agentmeter.usage.partial',
  /** What was odd in the provider's usage and how it was read (see core's provider mappers). */
  usageNotes: 'agentmeter.usage.notes',
} as const
