import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { startSdk } from '../init'
import { setCaptureContent } from '../state'

export interface TestTracing {
  exporter: InMemorySpanExporter
  /** The spans that have ended so far, in the order they ended. */
  spans(): ReadableSpan[]
  /** The ended spans whose `agentmeter.span.kind` is `kind`. */
  spansOfKind(kind: string): ReadableSpan[]
  reset(): void
  setCaptureContent(capture: boolean): void
  shutdown(): Promise<void>
}

/**
 * The same NodeSDK setup as `init()` (our span processor, our module patches, the async context
 * manager), exporting to memory with a SimpleSpanProcessor so a test sees each span as it ends.
 * It registers OTel globals: one setup per test file (Vitest runs each file in its own process).
 */
export function setupTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter()
  const handle = startSdk('agentmeter-sdk-test', false, [new SimpleSpanProcessor(exporter)], false)
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    spansOfKind: (kind) =>
      exporter
        .getFinishedSpans()
        .filter((span) => span.attributes['agentmeter.span.kind'] === kind),
    reset: () => {
      exporter.reset()
      setCaptureContent(false)
    },
    setCaptureContent,
    shutdown: () => handle.shutdown(),
  }
}
