import type { ClickHouseClient } from '@clickhouse/client'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import { AlertEngine } from './alerts'
import { ClickHouseClaimLedger } from './alerts/claim-ledger'
import { createApp } from './app'
import { isLoopbackHost, listenRefusal } from './auth/listen-guard'
import { SessionStore } from './auth/sessions'
import type { CollectorConfig } from './config'
import { IngestAdmission } from './ingest/admission'
import { RateLimiter } from './ingest/rate-limiter'
import { createLogger, type Logger } from './logger'
import { declareKnownSeries } from './metric-catalog'
import { Metrics } from './metrics'
import { openStoreClient, storeClientOptions } from './store/client'
import { lowerEngineThreadPriority } from './store/engine-priority'
import { migrate } from './store/migrations'
import { PriceBookStore } from './store/price-book-store'
import { ProjectSettingsStore } from './store/project-settings-store'
import { ALL_SCOPES, ProjectStore } from './store/projects'
import { RollupRefresher } from './store/rollups/refresher'
import { SpanWriter } from './store/span-writer'
import { DurableWriter } from './store/spool/durable-writer'
import { Spool } from './store/spool/spool'
import type { SpanRecord } from './store/span-record'
import path from 'node:path'

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:4318 */
  url: string
  port: number
  projects: ProjectStore
  /** The store's ClickHouse client (for tools and tests that read what was stored). */
  client: ClickHouseClient
  /** The HTTP app in process, without a socket (for fuzzing many requests quickly). */
  fetch: (request: Request) => Response | Promise<Response>
  /** Keeps the dashboard rollups current; `refreshNow()` brings them up to date at once. */
  rollups: RollupRefresher
  close(): Promise<void>
}

export interface StartOptions {
  /** The admin token was made up by `start` for local CLI commands, not set by the operator. */
  adminTokenIsLocal?: boolean
}

/**
 * Opens the store, runs migrations, provisions the init project, and listens. `close` stops
 * accepting requests, waits for queued inserts, and closes the store.
 */
export async function startCollector(
  config: CollectorConfig,
  logger: Logger = createLogger(config.logLevel),
  options: StartOptions = {},
): Promise<RunningCollector> {
  const store = await openStoreClient(storeClientOptions(config))
  const applied = await migrate(store.client, { cluster: config.clickhouseCluster })
  if (applied.length > 0) {
    logger.info({ module: 'store', message: 'migrations applied', args: { versions: applied } })
  }

  const projects = new ProjectStore(store.client)
  if (config.initProject && config.initApiKey) {
    const project = await projects.ensureProject(config.initProject)
    if (!(await projects.authenticate(config.initApiKey))) {
      await projects.createKey(project.id, ALL_SCOPES, config.initApiKey)
    }
  }

  const refusal = listenRefusal({
    host: config.host,
    adminToken: options.adminTokenIsLocal ? undefined : config.adminToken,
    initKey: Boolean(config.initProject && config.initApiKey),
    activeKeys: isLoopbackHost(config.host) ? 0 : await projects.countActiveKeys(),
  })
  if (refusal) {
    await store.client.close()
    throw new Error(refusal)
  }

  const metrics = new Metrics()
  declareKnownSeries(metrics)
  const writer = new SpanWriter(store.client, logger, {
    metrics,
    lanes: config.insertLanes,
    deduplicate: store.mode === 'server',
    // Only batches acknowledged on a write-ahead entry wait for more rows.
    linger:
      config.spool.writeAheadMillis === null || config.spool.linger.millis === 0
        ? undefined
        : config.spool.linger,
  })
  // Gauges are read at each scrape; every component that has a depth or a state registers its
  // own here (the insert queue now; a local spool's depth beside it).
  metrics.gauge('agentmeter_insert_queue_rows', 'Span rows waiting for an insert', () =>
    writer.queuedRows(),
  )
  // Collectors on a server may be many: they share alerting through claims in ClickHouse.
  const coordination =
    store.mode === 'server'
      ? {
          ledger: new ClickHouseClaimLedger(store.client, collectorId()),
          leaseMillis: config.alerts.leaseMillis,
          refreshMillis: config.alerts.refreshMillis,
        }
      : null
  const alerts = new AlertEngine(store.client, logger, metrics, config.alerts, coordination)
  // Replayed batches reach the alert engine once they are in ClickHouse, like direct ones.
  const durable = new DurableWriter(
    writer,
    Spool.open(path.join(config.dataDir, 'spool')),
    config.spool,
    logger,
    metrics,
    (records) => {
      for (const [projectId, rows] of byProject(records)) alerts.spansStored(projectId, rows)
    },
  )
  const app = createApp({
    alerts,
    metrics,
    client: store.client,
    projects,
    sessions: new SessionStore(),
    writer: durable,
    spool: durable,
    priceBooks: new PriceBookStore(store.client),
    settings: new ProjectSettingsStore(store.client),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.ingestLimits,
    rateLimiter: new RateLimiter(config.rateLimitSpansPerSecond, config.rateLimitBurst),
    admission: new IngestAdmission(config.admission, () => writer.queuedRows()),
    dashboardDir: config.dashboardDir,
    adminToken: config.adminToken,
    storeMode: store.mode,
    cluster: config.clickhouseCluster,
    recommendTolerancePoints: config.recommendTolerancePoints,
  })

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const instance = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(instance),
    )
    instance.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  await alerts.start(url)
  // Batches a previous process acknowledged on write-ahead entries may never have reached
  // ClickHouse: they are replayed before start-up completes, so that reads after a restart see
  // every acknowledged span (ingest, already listening, queues behind them).
  await durable.recover(config.spool.shutdownMillis)
  durable.start()
  const rollups = new RollupRefresher(store.client, logger, config.rollups)
  rollups.start()
  const stopLowering =
    store.mode === 'embedded' ? lowerEngineThreadPriority(config.engineNice) : () => {}
  logger.info({ module: 'server', message: 'listening', args: { url, store: store.mode } })

  return {
    url,
    port,
    projects,
    client: store.client,
    fetch: (request) => app.fetch(request),
    rollups,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await durable.close()
      await rollups.stop()
      await alerts.stop()
      await store.client.close()
      stopLowering()
    },
  }
}

function byProject(records: SpanRecord[]): Map<string, SpanRecord[]> {
  const groups = new Map<string, SpanRecord[]>()
  for (const record of records) {
    const projectId = String(record.project_id)
    const group = groups.get(projectId)
    if (group) group.push(record)
    else groups.set(projectId, [record])
  }
  return groups
}

/** This process among the collectors of a store, as claims and logs name it. */
function collectorId(): string {
  return `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`
}
