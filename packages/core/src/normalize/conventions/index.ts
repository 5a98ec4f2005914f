import { agentmeter } from './agentmeter'
import { anthropicSdk } from './anthropic-sdk'
import type { Convention } from './convention'
import { langfuse } from './langfuse'
import { openInference } from './openinference'
import { openLit } from './openlit'
import { otelGenAi } from './otel-genai'
import { pydanticAi } from './pydantic-ai'
import { semanticKernel } from './semantic-kernel'
import { traceloop } from './traceloop'
import { vercelAi } from './vercel-ai'
import { vercelAiGenAi } from './vercel-ai-genai'

export type { Convention, ReportedCost, UsageKeys } from './convention'
export { ANTHROPIC_SDK_SCOPE } from './anthropic-sdk'
export {
  agentmeter,
  anthropicSdk,
  langfuse,
  openInference,
  openLit,
  otelGenAi,
  pydanticAi,
  semanticKernel,
  traceloop,
  vercelAi,
  vercelAiGenAi,
}

/**
 * Conventions in the order they are tried: the most specific marks first (our own kind
 * attribute, a vendor's namespace or scope), plain OTel GenAI last since every other one also
 * writes some `gen_ai.*` names.
 */
export const CONVENTIONS: readonly Convention[] = [
  agentmeter,
  langfuse,
  openInference,
  traceloop,
  vercelAi,
  vercelAiGenAi,
  pydanticAi,
  openLit,
  semanticKernel,
  anthropicSdk,
  otelGenAi,
]

/** The convention used for spans that match none (plain OTel spans). */
export const FALLBACK_CONVENTION: Convention = { ...otelGenAi, name: 'otel' }
