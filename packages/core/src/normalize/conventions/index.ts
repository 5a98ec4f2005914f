import { agentmeter } from './agentmeter'
import type { Convention } from './convention'
import { otelGenAi } from './otel-genai'

export type { Convention, UsageKeys } from './convention'

/** Conventions in the order they are tried: the most specific marks first. */
export const CONVENTIONS: readonly Convention[] = [agentmeter, otelGenAi]

/** The convention used for spans that match none (plain OTel spans). */
export const FALLBACK_CONVENTION: Convention = { ...otelGenAi, name: 'otel' }
