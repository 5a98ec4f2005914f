import type { CollectorConfig } from './config'

/**
 * Every environment variable of the collector, with its default as a user reads it, in one
 * list: the README's configuration table is generated from it (`pnpm -s env-table`), and a test
 * holds it, `loadConfig`, the README, the Dockerfile and docker-compose.yml to each other.
 */
export interface EnvVar {
  name: string
  /** The default as documented; `read` shows it is the one `loadConfig` applies. */
  default: string
  meaning: string
  /** The setting as `loadConfig` reads it, to check the default against (none for paths). */
  read?: (config: CollectorConfig) => unknown
}

export const ENV_VARS: readonly EnvVar[] = [
  {
    name: 'AGENTMETER_PORT',
    default: '4318',
    meaning: 'port the collector listens on',
    read: (c) => c.port,
  },
  {
    name: 'AGENTMETER_HOST',
    default: '127.0.0.1',
    meaning: 'address the collector listens on (`0.0.0.0` in the image)',
    read: (c) => c.host,
  },
  {
    name: 'AGENTMETER_DATA_DIR',
    default: './.agentmeter',
    meaning: 'embedded ClickHouse data (one process per directory)',
  },
  {
    name: 'AGENTMETER_CLICKHOUSE_URL',
    default: 'unset',
    meaning: 'a ClickHouse server to use instead of the embedded engine',
    read: (c) => c.clickhouseUrl ?? 'unset',
  },
  {
    name: 'AGENTMETER_CLICKHOUSE_USER',
    default: 'unset',
    meaning: 'its user (the client default, `default`, when unset)',
    read: (c) => c.clickhouseUser ?? 'unset',
  },
  {
    name: 'AGENTMETER_CLICKHOUSE_PASSWORD',
    default: 'unset',
    meaning: 'its password',
    read: (c) => c.clickhousePassword ?? 'unset',
  },
  {
    name: 'AGENTMETER_CLICKHOUSE_CLUSTER',
    default: 'unset',
    meaning:
      'cluster name from `remote_servers`: the schema is created `ON CLUSTER` (Replicated + Distributed)',
    read: (c) => c.clickhouseCluster ?? 'unset',
  },
  {
    name: 'AGENTMETER_INIT_PROJECT',
    default: 'unset',
    meaning: 'with `AGENTMETER_INIT_API_KEY`: provision this project at start',
    read: (c) => c.initProject ?? 'unset',
  },
  {
    name: 'AGENTMETER_INIT_API_KEY',
    default: 'unset',
    meaning: 'the key of that project (all scopes)',
    read: (c) => c.initApiKey ?? 'unset',
  },
  {
    name: 'AGENTMETER_ADMIN_TOKEN',
    default: 'unset',
    meaning: 'enables the instance admin routes (`/api/v1/admin/*`)',
    read: (c) => c.adminToken ?? 'unset',
  },
  {
    name: 'AGENTMETER_DASHBOARD_DIR',
    default: 'apps/dashboard/dist',
    meaning: 'the built dashboard to serve',
  },
  {
    name: 'AGENTMETER_MAX_BODY_BYTES',
    default: '67108864',
    meaning: 'OTLP body limit (64 MiB), after decompression',
    read: (c) => c.maxBodyBytes,
  },
  {
    name: 'AGENTMETER_MAX_SPANS_PER_REQUEST',
    default: '50000',
    meaning: 'more spans in one export is a 413',
    read: (c) => c.ingestLimits.maxSpansPerRequest,
  },
  {
    name: 'AGENTMETER_MAX_ATTRIBUTES_PER_SPAN',
    default: '512',
    meaning: 'a span with more is rejected alone (OTLP partial success)',
    read: (c) => c.ingestLimits.maxAttributesPerSpan,
  },
  {
    name: 'AGENTMETER_MAX_ATTRIBUTE_CHARS',
    default: '131072',
    meaning: 'a span with a longer attribute value is rejected alone',
    read: (c) => c.ingestLimits.maxAttributeChars,
  },
  {
    name: 'AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND',
    default: '50000',
    meaning: 'spans per API key and second (0 = off); over it: 429 with `Retry-After`',
    read: (c) => c.rateLimitSpansPerSecond,
  },
  {
    name: 'AGENTMETER_RATE_LIMIT_BURST',
    default: '250000',
    meaning: 'burst allowance of that limit',
    read: (c) => c.rateLimitBurst,
  },
  {
    name: 'AGENTMETER_MAX_QUEUED_SPANS',
    default: '20000',
    meaning:
      'span rows waiting for an insert above which ingest sheds load: 503 + `Retry-After: 1`',
    read: (c) => c.admission.maxQueuedSpans,
  },
  {
    name: 'AGENTMETER_MAX_INGEST_REQUESTS',
    default: '32',
    meaning: 'ingest requests in progress above which ingest sheds load the same way',
    read: (c) => c.admission.maxInFlightRequests,
  },
  {
    name: 'AGENTMETER_INSERT_LANES',
    default: '2',
    meaning: 'span inserts at once; with 2 a request is not queued behind a running insert',
    read: (c) => c.insertLanes,
  },
  {
    name: 'AGENTMETER_ENGINE_NICE',
    default: '10',
    meaning:
      "niceness of the embedded engine's threads on Linux (0: as the collector's), so acks win the CPU",
    read: (c) => c.engineNice,
  },
  {
    name: 'AGENTMETER_SPOOL_MAX_BYTES',
    default: '1073741824',
    meaning: 'local spool budget (1 GiB); a batch that does not fit is a 503 + `Retry-After`',
    read: (c) => c.spool.maxBytes,
  },
  {
    name: 'AGENTMETER_SPOOL_KEY_SHARE_PERCENT',
    default: '50',
    meaning: 'share of the spool one API key may fill; beyond it that key gets 429',
    read: (c) => c.spool.maxKeySharePercent,
  },
  {
    name: 'AGENTMETER_SPOOL_SHUTDOWN_MS',
    default: '10000',
    meaning: 'how long a graceful stop keeps replaying the spool (the rest waits on disk)',
    read: (c) => c.spool.shutdownMillis,
  },
  {
    name: 'AGENTMETER_SPOOL_MAX_REJECTIONS',
    default: '5',
    meaning:
      'replays of a spooled batch ClickHouse refuses for its content before it is quarantined',
    read: (c) => c.spool.maxRejections,
  },
  {
    name: 'AGENTMETER_WRITE_AHEAD_MS',
    default: 'off',
    meaning:
      'ms an insert may run before its batch is fsynced to a write-ahead file and acked (`0`: always)',
    read: (c) => c.spool.writeAheadMillis ?? 'off',
  },
  {
    name: 'AGENTMETER_WRITE_AHEAD_BATCH_ROWS',
    default: '5000',
    meaning:
      'with write-ahead on, rows an insert of write-ahead-acked batches waits for (fewer inserts)',
    read: (c) => c.spool.linger.rows,
  },
  {
    name: 'AGENTMETER_WRITE_AHEAD_LINGER_MS',
    default: '1000',
    meaning: 'longest such a batch waits for rows (`0`: never; else its file is written at once)',
    read: (c) => c.spool.linger.millis,
  },
  {
    name: 'AGENTMETER_LOG_LEVEL',
    default: 'info',
    meaning: '`debug`, `info`, `warn`, `error`, `silent` (JSON lines on stderr)',
    read: (c) => c.logLevel,
  },
  {
    name: 'AGENTMETER_ALERT_EVAL_INTERVAL_MS',
    default: '60000',
    meaning: 'cadence of windowed alert rules',
    read: (c) => c.alerts.evalIntervalMillis,
  },
  {
    name: 'AGENTMETER_ALERT_TASK_CHECK_DELAY_MS',
    default: '1000',
    meaning: 'wait after an ingest batch before its tasks are checked',
    read: (c) => c.alerts.taskCheckDelayMillis,
  },
  {
    name: 'AGENTMETER_ALERT_MAX_TASK_AGE_MS',
    default: '3600000',
    meaning: 'older task breaches (backlog) are recorded, not notified',
    read: (c) => c.alerts.maxTaskAgeMillis,
  },
  {
    name: 'AGENTMETER_ALERT_FORECAST_MIN_ELAPSED_MS',
    default: '3600000',
    meaning: 'no budget forecast before this much of the period has passed',
    read: (c) => c.alerts.forecastMinElapsedMillis,
  },
  {
    name: 'AGENTMETER_ALERT_MAX_NOTIFICATIONS_PER_MINUTE',
    default: '20',
    meaning: 'per rule; more are recorded as suppressed',
    read: (c) => c.alerts.maxNotificationsPerMinute,
  },
  {
    name: 'AGENTMETER_ALERT_RETRY_BASE_MS',
    default: '2000',
    meaning: 'first delivery retry delay (doubling, capped at 5 min)',
    read: (c) => c.alerts.retryBaseMillis,
  },
  {
    name: 'AGENTMETER_ALERT_MAX_ATTEMPTS',
    default: '6',
    meaning: 'delivery attempts before an event is marked failed',
    read: (c) => c.alerts.maxAttempts,
  },
  {
    name: 'AGENTMETER_ALERT_DELIVERY_TIMEOUT_MS',
    default: '10000',
    meaning: 'per delivery attempt',
    read: (c) => c.alerts.deliveryTimeoutMillis,
  },
  {
    name: 'AGENTMETER_ALERT_LEASE_MS',
    default: '15000',
    meaning:
      'several collectors on a server: term of the alert lease; a dead holder is replaced within it',
    read: (c) => c.alerts.leaseMillis,
  },
  {
    name: 'AGENTMETER_ALERT_REFRESH_MS',
    default: '5000',
    meaning:
      'several collectors on a server: how often rules and states of the others are reloaded',
    read: (c) => c.alerts.refreshMillis,
  },
  {
    name: 'AGENTMETER_ROLLUP_INTERVAL_MS',
    default: '10000',
    meaning: 'cadence of the dashboard rollup refresh (0 = off: queries read the spans)',
    read: (c) => c.rollups.intervalMillis,
  },
  {
    name: 'AGENTMETER_ROLLUP_SETTLE_MS',
    default: '30000',
    meaning: 'how long an hour goes without deliveries before its rollup is refreshed',
    read: (c) => c.rollups.settleMillis,
  },
  {
    name: 'AGENTMETER_RECOMMEND_TOLERANCE_POINTS',
    default: '2',
    meaning: 'quality drop (points of task success) a routing recommendation may risk',
    read: (c) => c.recommendTolerancePoints,
  },
  {
    name: 'AGENTMETER_ALLOW_PRIVATE_WEBHOOKS',
    default: 'unset',
    meaning: '`1` lets alert webhooks target loopback and private addresses',
    read: (c) => (c.alerts.allowPrivateWebhooks ? '1' : 'unset'),
  },
  {
    name: 'AGENTMETER_PUBLIC_URL',
    default: 'its own URL',
    meaning: 'dashboard base URL in alert links',
    read: (c) => c.alerts.publicUrl ?? 'its own URL',
  },
]

/**
 * Variables of the CLI's client commands (`demo`, `alerts`, `prices`), which talk to a running
 * collector like any client; they configure no collector.
 */
export const CLIENT_ENV_VARS: readonly string[] = ['AGENTMETER_ENDPOINT', 'AGENTMETER_API_KEY']

/** The README's configuration table, one variable a row. */
export function renderEnvTable(): string {
  const rows = ENV_VARS.map((v) => [
    `\`${v.name}\``,
    // Values in code font; 'unset' and prose such as "its own URL" as they are.
    v.default === 'unset' || v.default.includes(' ') ? v.default : `\`${v.default}\``,
    v.meaning,
  ])
  const header = ['variable', 'default', 'meaning']
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  )
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n')
}
