import path from 'node:path'
import { DEFAULT_ADMISSION_LIMITS, type AdmissionLimits } from './ingest/admission'
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest/limits'
import type { LogLevel } from './logger'

/**
 * Every setting of the collector, with its default, in one place. Flags of `agentmeter start`
 * override the environment; the environment overrides the defaults.
 */
export interface CollectorConfig {
  /** `AGENTMETER_PORT`, default 4318 (the OTLP/HTTP port). */
  port: number
  /** `AGENTMETER_HOST`, default 127.0.0.1. */
  host: string
  /** `AGENTMETER_DATA_DIR`, default ./.agentmeter: where the embedded ClickHouse keeps its data. */
  dataDir: string
  /** `AGENTMETER_CLICKHOUSE_URL`: a ClickHouse server to use instead of the embedded engine. */
  clickhouseUrl: string | undefined
  /**
   * `AGENTMETER_CLICKHOUSE_CLUSTER`: a cluster name from the server's `remote_servers`; the schema
   * is then created ON CLUSTER with Replicated and Distributed tables (see cluster-ddl.ts).
   */
  clickhouseCluster: string | undefined
  /** `AGENTMETER_CLICKHOUSE_USER` / `AGENTMETER_CLICKHOUSE_PASSWORD`, for the server. */
  clickhouseUser: string | undefined
  clickhousePassword: string | undefined
  /** `AGENTMETER_INIT_PROJECT` + `AGENTMETER_INIT_API_KEY`: provision a project and key at start. */
  initProject: string | undefined
  initApiKey: string | undefined
  /** `AGENTMETER_ADMIN_TOKEN`: bearer token of the instance admin routes. */
  adminToken: string | undefined
  /** `AGENTMETER_DASHBOARD_DIR`, default apps/dashboard/dist: the built dashboard to serve. */
  dashboardDir: string
  /** `AGENTMETER_MAX_BODY_BYTES`, default 64 MiB (the OTLP recommendation), after decompression. */
  maxBodyBytes: number
  /** Per-request and per-span limits (see ingest/limits.ts for the variables and defaults). */
  ingestLimits: IngestLimits
  /** Load shedding of ingest under overload (see ingest/admission.ts for the variables). */
  admission: AdmissionLimits
  /** `AGENTMETER_INSERT_LANES`, default 2: span inserts that may run at once (see span-writer.ts). */
  insertLanes: number
  /**
   * `AGENTMETER_ENGINE_NICE`, default 10 (0 = off): the niceness the embedded engine's threads
   * run at on Linux, below the collector's own (see store/engine-priority.ts).
   */
  engineNice: number
  /**
   * `AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND` (default 50000; 0 = off) and
   * `AGENTMETER_RATE_LIMIT_BURST` (default 250000): spans per API key.
   */
  rateLimitSpansPerSecond: number
  rateLimitBurst: number
  /** `AGENTMETER_LOG_LEVEL`, default info. */
  logLevel: LogLevel
  /** The local spool that keeps acknowledged batches while ClickHouse is unavailable. */
  spool: SpoolConfig
  /** Alert evaluation and delivery; see `AlertSettings`. */
  alerts: AlertSettings
  /**
   * Background refresh of the dashboard rollups (`store/rollups/`):
   * `AGENTMETER_ROLLUP_INTERVAL_MS` (default 10000; 0 = off, queries then read the spans) and
   * `AGENTMETER_ROLLUP_SETTLE_MS` (default 30000: an hour is refreshed once this long passed
   * since its last delivery).
   */
  rollups: { intervalMillis: number; settleMillis: number; maxHours: number }
  /**
   * `AGENTMETER_RECOMMEND_TOLERANCE_POINTS`, default 2: the drop of a step's task success rate,
   * in percentage points, that a routing recommendation may risk. A switch is recommended only
   * when the one-sided 95% lower bound of its quality change is above minus this.
   */
  recommendTolerancePoints: number
}

/**
 * The spool lives in `<dataDir>/spool`, one per collector process (a lock file enforces it).
 * A batch ClickHouse cannot take is fsynced there and acknowledged, then replayed in order.
 */
export interface SpoolConfig {
  /** `AGENTMETER_SPOOL_MAX_BYTES`, default 1 GiB: at this size ingest answers 503 with Retry-After. */
  maxBytes: number
  /** `AGENTMETER_SPOOL_KEY_SHARE_PERCENT`, default 50: the share one API key may fill; beyond it that key gets 429 with Retry-After. */
  maxKeySharePercent: number
  /** `AGENTMETER_SPOOL_SHUTDOWN_MS`, default 10000: how long a graceful shutdown keeps replaying the spool; the rest waits on disk for the next start. */
  shutdownMillis: number
  /** `AGENTMETER_SPOOL_MAX_REJECTIONS`, default 5: replays of one spooled batch that ClickHouse refuses for its content, retried alone, before it is moved to the quarantine. Outages never count. */
  maxRejections: number
  /** `AGENTMETER_WRITE_AHEAD_MS`, default off: an insert running longer than this has its batch fsynced to a write-ahead entry in the spool directory and acknowledged on it (`0`: every batch). */
  writeAheadMillis: number | null
  /** `AGENTMETER_WRITE_AHEAD_BATCH_ROWS`, default 5000, and `AGENTMETER_WRITE_AHEAD_LINGER_MS`, default 1000 (0: off): with write-ahead on, an insert of batches acknowledged on their write-ahead entries waits until this many rows are queued or the oldest waited this long (see span-writer.ts); their entries are then written at once, whatever `AGENTMETER_WRITE_AHEAD_MS` says. */
  linger: { rows: number; millis: number }
}

/** Alerting settings. The defaults suit production; tests shrink the timings to milliseconds. */
export interface AlertSettings {
  /** `AGENTMETER_ALERT_EVAL_INTERVAL_MS`, default 60000: cadence of windowed rules (p95, budget, unpriced). */
  evalIntervalMillis: number
  /** `AGENTMETER_ALERT_TASK_CHECK_DELAY_MS`, default 1000: wait after an ingest batch before its tasks are checked against `task_cost` rules, so a burst of batches is checked once. Well under the 10 s a task alert may take. */
  taskCheckDelayMillis: number
  /** `AGENTMETER_ALERT_MAX_TASK_AGE_MS`, default 3600000 (1 h): a task breach found later than this after the task ended (a replayed backlog) is recorded but not notified. */
  maxTaskAgeMillis: number
  /** `AGENTMETER_ALERT_FORECAST_MIN_ELAPSED_MS`, default 3600000 (1 h): no budget forecast before this much of the period has passed. */
  forecastMinElapsedMillis: number
  /** `AGENTMETER_ALERT_MAX_NOTIFICATIONS_PER_MINUTE`, default 20: per rule; more are recorded as suppressed. */
  maxNotificationsPerMinute: number
  /** `AGENTMETER_ALERT_RETRY_BASE_MS`, default 2000: first retry delay, doubled per attempt (capped at 5 min). */
  retryBaseMillis: number
  /** `AGENTMETER_ALERT_MAX_ATTEMPTS`, default 6: delivery attempts before an event is marked failed. */
  maxAttempts: number
  /** `AGENTMETER_ALERT_DELIVERY_TIMEOUT_MS`, default 10000: per attempt. */
  deliveryTimeoutMillis: number
  /** `AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1`: allow webhook targets on loopback, private and link-local addresses (refused by default, checked on the resolved address). */
  allowPrivateWebhooks: boolean
  /** `AGENTMETER_PUBLIC_URL`: the dashboard's base URL in alert links; default the collector's own URL. */
  publicUrl: string | undefined
  /** `AGENTMETER_ALERT_LEASE_MS`, default 15000: term of the alert lease when several collectors share a ClickHouse server; a dead holder is replaced within it. */
  leaseMillis: number
  /** `AGENTMETER_ALERT_REFRESH_MS`, default 5000: with a ClickHouse server, how often rules and states written by other collectors are reloaded. */
  refreshMillis: number
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..')

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  return {
    port: intSetting(env, 'AGENTMETER_PORT', 4318),
    host: env.AGENTMETER_HOST || '127.0.0.1',
    dataDir: path.resolve(env.AGENTMETER_DATA_DIR || '.agentmeter'),
    clickhouseUrl: env.AGENTMETER_CLICKHOUSE_URL || undefined,
    clickhouseCluster: env.AGENTMETER_CLICKHOUSE_CLUSTER || undefined,
    clickhouseUser: env.AGENTMETER_CLICKHOUSE_USER || undefined,
    clickhousePassword: env.AGENTMETER_CLICKHOUSE_PASSWORD || undefined,
    initProject: env.AGENTMETER_INIT_PROJECT || undefined,
    initApiKey: env.AGENTMETER_INIT_API_KEY || undefined,
    adminToken: env.AGENTMETER_ADMIN_TOKEN || undefined,
    dashboardDir: path.resolve(
      env.AGENTMETER_DASHBOARD_DIR || path.join(REPO_ROOT, 'apps/dashboard/dist'),
    ),
    maxBodyBytes: intSetting(env, 'AGENTMETER_MAX_BODY_BYTES', 64 * 1024 * 1024),
    ingestLimits: {
      maxSpansPerRequest: intSetting(
        env,
        'AGENTMETER_MAX_SPANS_PER_REQUEST',
        DEFAULT_INGEST_LIMITS.maxSpansPerRequest,
      ),
      maxAttributesPerSpan: intSetting(
        env,
        'AGENTMETER_MAX_ATTRIBUTES_PER_SPAN',
        DEFAULT_INGEST_LIMITS.maxAttributesPerSpan,
      ),
      maxAttributeChars: intSetting(
        env,
        'AGENTMETER_MAX_ATTRIBUTE_CHARS',
        DEFAULT_INGEST_LIMITS.maxAttributeChars,
      ),
    },
    admission: {
      maxQueuedSpans: positiveSetting(
        env,
        'AGENTMETER_MAX_QUEUED_SPANS',
        DEFAULT_ADMISSION_LIMITS.maxQueuedSpans,
      ),
      maxInFlightRequests: positiveSetting(
        env,
        'AGENTMETER_MAX_INGEST_REQUESTS',
        DEFAULT_ADMISSION_LIMITS.maxInFlightRequests,
      ),
    },
    insertLanes: positiveSetting(env, 'AGENTMETER_INSERT_LANES', 2),
    engineNice: niceSetting(env.AGENTMETER_ENGINE_NICE),
    rateLimitSpansPerSecond: intSetting(env, 'AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND', 50_000),
    rateLimitBurst: intSetting(env, 'AGENTMETER_RATE_LIMIT_BURST', 250_000),
    logLevel: logLevelSetting(env.AGENTMETER_LOG_LEVEL),
    spool: {
      maxBytes: positiveSetting(env, 'AGENTMETER_SPOOL_MAX_BYTES', 1024 * 1024 * 1024),
      maxKeySharePercent: percentSetting(env, 'AGENTMETER_SPOOL_KEY_SHARE_PERCENT', 50),
      shutdownMillis: intSetting(env, 'AGENTMETER_SPOOL_SHUTDOWN_MS', 10_000),
      maxRejections: positiveSetting(env, 'AGENTMETER_SPOOL_MAX_REJECTIONS', 5),
      writeAheadMillis: writeAheadSetting(env.AGENTMETER_WRITE_AHEAD_MS),
      linger: {
        rows: positiveSetting(env, 'AGENTMETER_WRITE_AHEAD_BATCH_ROWS', 5000),
        millis: intSetting(env, 'AGENTMETER_WRITE_AHEAD_LINGER_MS', 1000),
      },
    },
    alerts: {
      evalIntervalMillis: positiveSetting(env, 'AGENTMETER_ALERT_EVAL_INTERVAL_MS', 60_000),
      taskCheckDelayMillis: intSetting(env, 'AGENTMETER_ALERT_TASK_CHECK_DELAY_MS', 1000),
      maxTaskAgeMillis: intSetting(env, 'AGENTMETER_ALERT_MAX_TASK_AGE_MS', 3_600_000),
      forecastMinElapsedMillis: intSetting(
        env,
        'AGENTMETER_ALERT_FORECAST_MIN_ELAPSED_MS',
        3_600_000,
      ),
      maxNotificationsPerMinute: positiveSetting(
        env,
        'AGENTMETER_ALERT_MAX_NOTIFICATIONS_PER_MINUTE',
        20,
      ),
      retryBaseMillis: intSetting(env, 'AGENTMETER_ALERT_RETRY_BASE_MS', 2000),
      maxAttempts: positiveSetting(env, 'AGENTMETER_ALERT_MAX_ATTEMPTS', 6),
      deliveryTimeoutMillis: positiveSetting(env, 'AGENTMETER_ALERT_DELIVERY_TIMEOUT_MS', 10_000),
      allowPrivateWebhooks: env.AGENTMETER_ALLOW_PRIVATE_WEBHOOKS === '1',
      publicUrl: env.AGENTMETER_PUBLIC_URL || undefined,
      leaseMillis: positiveSetting(env, 'AGENTMETER_ALERT_LEASE_MS', 15_000),
      refreshMillis: positiveSetting(env, 'AGENTMETER_ALERT_REFRESH_MS', 5000),
    },
    rollups: {
      intervalMillis: intSetting(env, 'AGENTMETER_ROLLUP_INTERVAL_MS', 10_000),
      settleMillis: intSetting(env, 'AGENTMETER_ROLLUP_SETTLE_MS', 30_000),
      maxHours: 48,
    },
    recommendTolerancePoints: pointsSetting(env, 'AGENTMETER_RECOMMEND_TOLERANCE_POINTS', 2),
  }
}

function pointsSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new Error(`${name} must be a number of points from 0 to 100, got ${JSON.stringify(raw)}`)
  }
  return value
}

function positiveSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer (1 or more), got ${JSON.stringify(raw)}`)
  }
  return value
}

function percentSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positiveSetting(env, name, fallback)
  if (value > 100) throw new Error(`${name} must be a percentage from 1 to 100, got "${value}"`)
  return value
}

/**
 * Off by default: a batch acknowledged on its write-ahead entry is durable but becomes visible
 * to reads only once its insert returns, while callers (and the test suite) may read right after
 * a 200 and expect to see it.
 */
function writeAheadSetting(raw: string | undefined): number | null {
  if (raw === undefined || raw === '' || raw === 'off') return null
  return intSetting({ AGENTMETER_WRITE_AHEAD_MS: raw }, 'AGENTMETER_WRITE_AHEAD_MS', 0)
}

/** A niceness a thread may lower itself to without privileges: 0 (unchanged) to 19. */
function niceSetting(raw: string | undefined): number {
  const value = intSetting({ AGENTMETER_ENGINE_NICE: raw }, 'AGENTMETER_ENGINE_NICE', 10)
  if (value > 19) throw new Error(`AGENTMETER_ENGINE_NICE must be from 0 to 19, got "${value}"`)
  return value
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`)
  }
  return value
}

function logLevelSetting(raw: string | undefined): LogLevel {
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']
  if (raw === undefined || raw === '') return 'info'
  if ((levels as string[]).includes(raw)) return raw as LogLevel
  throw new Error(
    `AGENTMETER_LOG_LEVEL must be one of ${levels.join(', ')}, got ${JSON.stringify(raw)}`,
  )
}
