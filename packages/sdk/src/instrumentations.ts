import type { MeterProvider, TracerProvider } from '@opentelemetry/api'
import { patchAnthropicModule, unpatchAnthropicModules } from './anthropic/instrument'
import { patchInstalledPackage } from './module-loader'
import { patchOpenAIModule, unpatchOpenAIModules } from './openai/instrument'
import { safely } from './safe'
import {
  SDK_NAME,
  SDK_VERSION,
  setCaptureContent,
  setEnabled,
  setTracerProvider,
  type ClientName,
} from './state'

/** The client packages we patch, as apps import them. */
export const CLIENT_PACKAGES = ['openai', '@anthropic-ai/sdk'] as const

/**
 * An OpenTelemetry `Instrumentation` (from `@opentelemetry/instrumentation`), written out here so
 * that the SDK does not depend on that package: `NodeSDK` and `registerInstrumentations` accept
 * anything of this shape.
 */
export interface AgentmeterInstrumentation {
  instrumentationName: string
  instrumentationVersion: string
  enable(): void
  disable(): void
  setTracerProvider(tracerProvider: TracerProvider): void
  setMeterProvider(meterProvider: MeterProvider): void
  setConfig(config: { enabled?: boolean }): void
  getConfig(): { enabled?: boolean }
}

export interface AgentmeterInstrumentationOptions {
  /**
   * Put prompts, completions and tool arguments on spans. Off by default: they may hold personal
   * data, and they are the largest part of a span.
   * @default false
   */
  captureContent?: boolean
}

/**
 * Our client patches as OTel instrumentations, for an app with its own OTel setup:
 * `new NodeSDK({ instrumentations: [...agentmeterInstrumentations()], spanProcessors:
 * [createAgentmeterSpanProcessor(), ...] })`. They patch the installed `openai` and
 * `@anthropic-ai/sdk` modules as soon as they are created (as OTel instrumentations do).
 */
export function agentmeterInstrumentations(
  options: AgentmeterInstrumentationOptions = {},
): AgentmeterInstrumentation[] {
  setCaptureContent(options.captureContent ?? false)
  return [
    new ClientInstrumentation('openai', 'openai', patchOpenAIModule, unpatchOpenAIModules),
    new ClientInstrumentation(
      'anthropic',
      '@anthropic-ai/sdk',
      patchAnthropicModule,
      unpatchAnthropicModules,
    ),
  ]
}

class ClientInstrumentation implements AgentmeterInstrumentation {
  readonly instrumentationName: string
  readonly instrumentationVersion = SDK_VERSION
  #config: { enabled?: boolean } = { enabled: false }

  constructor(
    private readonly client: ClientName,
    private readonly packageName: string,
    private readonly patch: (moduleExports: unknown) => number,
    private readonly unpatch: () => void,
  ) {
    this.instrumentationName = `${SDK_NAME}/${client}`
    this.enable()
  }

  enable(): void {
    setEnabled(this.client, true)
    safely(`patching ${this.packageName}`, () =>
      patchInstalledPackage(this.packageName, this.patch),
    )
    this.#config = { ...this.#config, enabled: true }
  }

  disable(): void {
    // Instance patches (instrumentOpenAI) stay in place but pass calls straight through.
    setEnabled(this.client, false)
    safely(`unpatching ${this.packageName}`, () => this.unpatch())
    this.#config = { ...this.#config, enabled: false }
  }

  setTracerProvider(tracerProvider: TracerProvider): void {
    setTracerProvider(tracerProvider)
  }

  setMeterProvider(_meterProvider: MeterProvider): void {}

  setConfig(config: { enabled?: boolean }): void {
    this.#config = { ...config }
  }

  getConfig(): { enabled?: boolean } {
    return this.#config
  }
}
