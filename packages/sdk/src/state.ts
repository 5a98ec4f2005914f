import { diag, trace, type Tracer, type TracerProvider } from '@opentelemetry/api'
import { deriveHashKey, type HashKey } from '@agentmeter/core'
import type { ContentMask } from './mask'

export const SDK_NAME = '@agentmeter/sdk'
export const SDK_VERSION = '0.1.0'

/** Our diagnostics: silent unless the app sets a `diag` logger. Never given payloads or keys. */
export const log = diag.createComponentLogger({ namespace: SDK_NAME })

/** The clients we instrument, by the name our instrumentations use for them. */
export type ClientName = 'openai' | 'anthropic'

interface SdkState {
  /** Set by an instrumentation's `setTracerProvider`; otherwise the global provider is used. */
  tracerProvider: TracerProvider | undefined
  captureContent: boolean
  enabled: Record<ClientName, boolean>
  /** Fingerprint key; undefined until set or first derived from the environment. */
  hashKey: HashKey | null | undefined
  /** The app's hook for captured content (`init({ mask })`). */
  mask: ContentMask | undefined
}

const state: SdkState = {
  tracerProvider: undefined,
  captureContent: false,
  enabled: { openai: true, anthropic: true },
  hashKey: undefined,
  mask: undefined,
}

/** The tracer of the provider in effect, kept while that provider stays the same. */
let cachedTracer: { provider: unknown; tracer: Tracer } | undefined

export function getTracer(): Tracer {
  const provider = state.tracerProvider ?? trace.getTracerProvider()
  // The global provider is a proxy whose delegate changes when the app registers another one.
  const current = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider
  if (cachedTracer?.provider !== current) {
    cachedTracer = { provider: current, tracer: provider.getTracer(SDK_NAME, SDK_VERSION) }
  }
  return cachedTracer.tracer
}

export function setTracerProvider(provider: TracerProvider): void {
  state.tracerProvider = provider
}

/** Whether prompts, completions and tool arguments may go on spans (off by default). */
export function captureContent(): boolean {
  return state.captureContent
}

export function setCaptureContent(capture: boolean): void {
  state.captureContent = capture
}

export function contentMask(): ContentMask | undefined {
  return state.mask
}

export function setContentMask(mask: ContentMask | undefined): void {
  state.mask = mask
}

export function isEnabled(client: ClientName): boolean {
  return state.enabled[client]
}

export function setEnabled(client: ClientName, enabled: boolean): void {
  state.enabled[client] = enabled
}

/**
 * The project's fingerprint key: the one `init()` set, otherwise derived once from
 * `AGENTMETER_HASH_KEY` or `AGENTMETER_API_KEY`. Null (no fingerprints) when neither is known.
 */
export function hashKey(): HashKey | null {
  if (state.hashKey === undefined) {
    state.hashKey = deriveHashKey({
      hashKey: process.env['AGENTMETER_HASH_KEY'],
      apiKey: process.env['AGENTMETER_API_KEY'],
    })
  }
  return state.hashKey
}

/** Sets the fingerprint key (`init()` does, from its options); null turns fingerprints off. */
export function setHashKey(key: HashKey | null): void {
  state.hashKey = key
}
