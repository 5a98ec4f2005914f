import type { ContentMask } from './mask'
import type { BoundedBatchOptions } from './export/bounded-batch-processor'
import type { ShadowOptions } from './shadow/options'
import { deriveHashKey, type HashKey } from '@agentmeter/core'

/** Options of `init()`. Every one has a default from the environment or a constant. */
export interface InitOptions {
  /**
   * Collector base URL; spans go to `${endpoint}/v1/traces`.
   * @default AGENTMETER_ENDPOINT, else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (a full URL, used as
   * is), else OTEL_EXPORTER_OTLP_ENDPOINT, else http://127.0.0.1:4318
   */
  endpoint?: string
  /**
   * Project API key, sent as `Authorization: Bearer <key>`. Headers from
   * OTEL_EXPORTER_OTLP_(TRACES_)HEADERS are sent too.
   * @default AGENTMETER_API_KEY
   */
  apiKey?: string
  /**
   * Secret the request, prompt and tool fingerprints are keyed with. Give every process of a
   * project the same value (or the same API key) so their hashes match; it is never sent.
   * Changing it (or the API key it defaults to) starts a new hash space: calls before and after
   * the change are not matched with each other.
   * @default AGENTMETER_HASH_KEY, else derived from the API key
   */
  hashKey?: string
  /** @default OTEL_SERVICE_NAME, else 'agent' */
  serviceName?: string
  /**
   * Put prompts, completions and tool arguments on spans.
   * @default false
   */
  captureContent?: boolean
  /**
   * Called with each captured content text before it leaves the process (only with
   * `captureContent`); returns what is sent instead. A mask that throws drops the attribute.
   */
  mask?: ContentMask
  /**
   * How long spans wait in the batch before they are sent.
   * @default OTEL_BSP_SCHEDULE_DELAY, else 5000
   */
  exportIntervalMillis?: number
  /**
   * How long a batch whose export failed for a retryable reason (connection refused or reset,
   * a timeout, HTTP 429, 502, 503 or 504) is sent again, with backoff, from its first failure;
   * 0 turns retries off. Spans not yet sent wait in the bounded queue meanwhile.
   * @default AGENTMETER_EXPORT_RETRY_MAX_AGE_MS, else 60000
   */
  exportRetryMaxAgeMillis?: number
  /**
   * Shadow mode: copy a random share of a step's calls to a candidate model, after the app has
   * its answer, to collect evidence for routing recommendations (see `configureShadow`).
   * @default off
   */
  shadow?: ShadowOptions
}

export interface ResolvedConfig {
  tracesUrl: string
  headers: Record<string, string> | undefined
  /** Fingerprint key material; null when there is neither a hash key nor an API key. */
  hashKey: HashKey | null
  serviceName: string
  captureContent: boolean
  mask: ContentMask | undefined
  exportIntervalMillis: number | undefined
  /**
   * One export request's limit: OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT,
   * never longer than the batch's export timeout (the processor gives up on the batch then).
   */
  requestTimeoutMillis: number
  /** Batching limits, from the standard OTEL_BSP_* variables. */
  batch: BoundedBatchOptions
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318'
/** OTel's default for both OTEL_BSP_EXPORT_TIMEOUT and OTEL_EXPORTER_OTLP_TIMEOUT. */
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 10_000

type Env = Record<string, string | undefined>

/** Fills in `init()` options from the environment. */
export function resolveConfig(options: InitOptions, env: Env): ResolvedConfig {
  const apiKey = options.apiKey ?? nonEmpty(env['AGENTMETER_API_KEY'])
  const exportTimeoutMillis = positive(env['OTEL_BSP_EXPORT_TIMEOUT'])
  const requestTimeoutMillis =
    positive(env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT']) ??
    positive(env['OTEL_EXPORTER_OTLP_TIMEOUT'])
  return {
    tracesUrl: tracesUrl(options.endpoint, env),
    headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : undefined,
    hashKey: deriveHashKey({
      hashKey: nonEmpty(options.hashKey) ?? nonEmpty(env['AGENTMETER_HASH_KEY']),
      apiKey,
    }),
    serviceName: options.serviceName ?? nonEmpty(env['OTEL_SERVICE_NAME']) ?? 'agent',
    captureContent: options.captureContent ?? false,
    mask: options.mask,
    exportIntervalMillis: options.exportIntervalMillis,
    requestTimeoutMillis: Math.min(
      requestTimeoutMillis ?? Infinity,
      exportTimeoutMillis ?? DEFAULT_EXPORT_TIMEOUT_MILLIS,
    ),
    batch: {
      scheduledDelayMillis:
        options.exportIntervalMillis ?? positive(env['OTEL_BSP_SCHEDULE_DELAY']),
      maxQueueSize: positive(env['OTEL_BSP_MAX_QUEUE_SIZE']),
      maxBatchSize: positive(env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE']),
      exportTimeoutMillis,
      maxRetryAgeMillis:
        nonNegative(options.exportRetryMaxAgeMillis) ??
        nonNegative(nonEmpty(env['AGENTMETER_EXPORT_RETRY_MAX_AGE_MS'])),
    },
  }
}

/** A positive integer setting, or undefined (the default applies) when absent or malformed. */
function positive(value: string | undefined): number | undefined {
  const parsed = Number(nonEmpty(value))
  return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined
}

/** A setting where 0 means off: a non-negative integer, or undefined when absent or malformed. */
function nonNegative(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : undefined
}

function tracesUrl(endpoint: string | undefined, env: Env): string {
  const base = nonEmpty(endpoint) ?? nonEmpty(env['AGENTMETER_ENDPOINT'])
  if (base) return withTracesPath(base)
  // Per the OTLP exporter spec, the signal-specific variable is the full URL.
  const traces = nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
  if (traces) return traces
  return withTracesPath(nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ?? DEFAULT_ENDPOINT)
}

function withTracesPath(base: string): string {
  return `${base.replace(/\/+$/, '')}/v1/traces`
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
