/**
 * Span attribute names that agentmeter reads and writes. The OTel GenAI names follow the
 * semantic conventions (https://github.com/open-telemetry/semantic-conventions-genai); the
 * `agentmeter.*` names are our public contract (ARCHITECTURE.md, "Span attributes").
 */
export const GenAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
  requestStream: 'gen_ai.request.stream',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  workflowName: 'gen_ai.workflow.name',
} as const

export const Agentmeter = {
  taskId: 'agentmeter.task.id',
  taskName: 'agentmeter.task.name',
  taskOutcome: 'agentmeter.task.outcome',
  taskScore: 'agentmeter.task.score',
  stepName: 'agentmeter.step.name',
  /** Our SDK's own marker of the span's kind (`task`, `llm`, `tool`, ...). */
  spanKind: 'agentmeter.span.kind',
  cacheWrite1hTokens: 'agentmeter.usage.cache_write_1h_tokens',
  /** Set to `false` by the SDK when the provider reported no usage (for example a stream). */
  usageKnown: 'agentmeter.usage.known',
  /** Hosted web searches the provider billed per call. */
  webSearchRequests: 'agentmeter.usage.web_search_requests',
  /** Hosted file searches the provider billed per call (OpenAI `file_search_call`). */
  fileSearchRequests: 'agentmeter.usage.file_search_requests',
  costUsd: 'agentmeter.cost.usd',
  requestHash: 'agentmeter.request.hash',
  responseHash: 'agentmeter.response.hash',
  prefixHashes: 'agentmeter.prompt.prefix_hashes',
  prefixTokens: 'agentmeter.prompt.prefix_tokens',
  systemHash: 'agentmeter.prompt.system_hash',
  toolsHash: 'agentmeter.prompt.tools_hash',
  minhash: 'agentmeter.prompt.minhash',
  toolArgsHash: 'agentmeter.tool.args_hash',
  toolResultHash: 'agentmeter.tool.result_hash',
  toolCostUsd: 'agentmeter.tool.cost.usd',
  /** Estimated tokens of a tool's result: what each later prompt pays to carry it. */
  toolResultTokens: 'agentmeter.tool.result_tokens',
} as const

export const Resource = {
  serviceName: 'service.name',
  environment: 'deployment.environment.name',
  environmentLegacy: 'deployment.environment',
} as const

/** Attributes read for pricing beyond the tables above (service tiers, endpoints, bills). */
export const PricingAttr = {
  /** `service_tier` the provider billed: `batch`, `flex`, `priority`, `default`. */
  serviceTier: 'agentmeter.service_tier',
  /** Data-residency option of the call (Anthropic `inference_geo`). */
  inferenceGeo: 'agentmeter.inference_geo',
  /** The provider's own bill for the call (OpenRouter `usage.cost`), USD. */
  reportedCostUsd: 'agentmeter.cost.reported_usd',
  /** Code execution sessions the provider billed per call. */
  codeExecutionRequests: 'agentmeter.usage.code_execution_requests',
  /** Keys other instrumentations use for the same things, read after ours. */
  serviceTierKeys: [
    'agentmeter.service_tier',
    'openai.response.service_tier',
    'gen_ai.openai.response.service_tier',
    'openai.request.service_tier',
    'gen_ai.openai.request.service_tier',
  ],
  endpointKeys: ['url.full', 'server.address'],
} as const
