import { diag, trace, type Tracer, type TracerProvider } from '@opentelemetry/api'

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
}

const state: SdkState = {
  tracerProvider: undefined,
  captureContent: false,
  enabled: { openai: true, anthropic: true },
}

export function getTracer(): Tracer {
  return (state.tracerProvider ?? trace.getTracerProvider()).getTracer(SDK_NAME, SDK_VERSION)
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

export function isEnabled(client: ClientName): boolean {
  return state.enabled[client]
}

export function setEnabled(client: ClientName, enabled: boolean): void {
  state.enabled[client] = enabled
}
