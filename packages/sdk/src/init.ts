import { NodeSDK } from '@opentelemetry/sdk-node'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { resolveConfig, type InitOptions } from './config'
import { BoundedBatchSpanProcessor } from './export/bounded-batch-processor'
import { noStats, type ExportStats } from './export/export-stats'
import { SlicedOtlpTraceExporter } from './export/sliced-otlp-exporter'
import { agentmeterInstrumentations } from './instrumentations'
import { setDeferLateAttributes } from './llm/late-attributes'
import { describeError } from './safe'
import { configureShadow } from './shadow/options'
import { settleShadowCalls } from './shadow/run-shadow'
import { createAgentmeterSpanProcessor } from './span-processor'
import { log, setContentMask, setHashKey } from './state'

/** What `init()` returns: call `shutdown()` before the process exits so no span is lost. */
export interface AgentmeterHandle {
  /** Sends what is batched and stops tracing. */
  shutdown(): Promise<void>
  /** Sends what is batched now. */
  forceFlush(): Promise<void>
  /**
   * Spans queued (retries included), exported, dropped (queue full) and lost (export failed)
   * so far, and every loss by reason.
   */
  stats(): ExportStats
}

let current: AgentmeterHandle | undefined

const SHADOW_SETTLE_MILLIS = 10_000

/**
 * Starts tracing in one line: an OTel `NodeSDK` that batches spans and sends them as OTLP
 * protobuf to the collector, with our span processor and our patches of the installed `openai`
 * and `@anthropic-ai/sdk` modules (clients made before or after are traced). Only traces are set
 * up: no metrics or logs exporters. Export runs off the call path, batched. A second call returns
 * the first handle. It never throws; if tracing cannot start, it reports to `diag` and the app
 * runs untraced.
 */
export function init(options: InitOptions = {}): AgentmeterHandle {
  if (current) {
    log.warn('init() was called again; the first configuration stays in effect')
    return current
  }
  try {
    const config = resolveConfig(options, process.env)
    setHashKey(config.hashKey)
    setContentMask(config.mask)
    if (options.shadow) configureShadow(options.shadow)
    // OTLP/HTTP protobuf, encoded in slices so that no export holds the event loop for long.
    const exporter = new SlicedOtlpTraceExporter({
      url: config.tracesUrl,
      headers: config.headers,
      timeoutMillis: config.requestTimeoutMillis,
    })
    const batch = new BoundedBatchSpanProcessor(exporter, {
      ...config.batch,
      endpoint: config.tracesUrl,
    })
    // Our processor is the only exporting one: it completes the spans' late attributes itself.
    setDeferLateAttributes(true)
    current = {
      ...startSdk(config.serviceName, config.captureContent, [batch]),
      stats: () => batch.stats(),
    }
  } catch (error) {
    log.error(`init() failed; tracing is off: ${describeError(error)}`)
    current = {
      shutdown: () => Promise.resolve(),
      forceFlush: () => Promise.resolve(),
      stats: noStats,
    }
  }
  return current
}

/**
 * The setup `init()` and the tests share: our span processor first (it stamps task attributes
 * at span start), then the exporting processors.
 */
export function startSdk(
  serviceName: string,
  captureContent: boolean,
  exporting: SpanProcessor[],
  detectResources = true,
): Omit<AgentmeterHandle, 'stats'> {
  const sdk = new NodeSDK({
    serviceName,
    autoDetectResources: detectResources,
    spanProcessors: [createAgentmeterSpanProcessor(), ...exporting],
    instrumentations: agentmeterInstrumentations({ captureContent }),
    // Traces only: without these, NodeSDK would start OTLP metrics and logs exporters too.
    metricReaders: [],
    logRecordProcessors: [],
  })
  sdk.start()
  // Shadow calls still in flight end first (for at most 10 s), so their spans are in what is sent.
  return {
    shutdown: async () => {
      await settleShadowCalls(SHADOW_SETTLE_MILLIS)
      await sdk.shutdown()
    },
    forceFlush: async () => {
      await settleShadowCalls(SHADOW_SETTLE_MILLIS)
      await Promise.all(exporting.map((processor) => processor.forceFlush()))
    },
  }
}
