import type { ClickHouseClient } from '@clickhouse/client'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { AlertEngine } from './alerts'
import { createApp } from './app'
import { SessionStore } from './auth/sessions'
import type { CollectorConfig } from './config'
import { RateLimiter } from './ingest/rate-limiter'
import { createLogger, type Logger } from './logger'
import { Metrics } from './metrics'
import { openStoreClient } from './store/client'
import { migrate } from './store/migrations'
import { PriceBookStore } from './store/price-book-store'
import { ALL_SCOPES, ProjectStore } from './store/projects'
import { SpanWriter } from './store/span-writer'

export interface RunningCollector {
  /** Base URL, e.g. http://127.0.0.1:4318 */
  url: string
  port: number
  projects: ProjectStore
  /** The store's ClickHouse client (for tools and tests that read what was stored). */
  client: ClickHouseClient
  close(): Promise<void>
}

/**
 * Opens the store, runs migrations, provisions the init project, and listens. `close` stops
 * accepting requests, waits for queued inserts, and closes the store.
 */
export async function startCollector(
  config: CollectorConfig,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningCollector> {
  const store = await openStoreClient({
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    cluster: config.clickhouseCluster,
    dataDir: config.dataDir,
  })
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

  const writer = new SpanWriter(store.client, logger)
  const metrics = new Metrics()
  metrics.gauge('agentmeter_insert_queue_rows', 'Span rows waiting for an insert', () =>
    writer.queuedRows(),
  )
  const alerts = new AlertEngine(store.client, logger, metrics, config.alerts)
  const app = createApp({
    alerts,
    metrics,
    client: store.client,
    projects,
    sessions: new SessionStore(),
    writer,
    priceBooks: new PriceBookStore(store.client),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.ingestLimits,
    rateLimiter: new RateLimiter(config.rateLimitSpansPerSecond, config.rateLimitBurst),
    dashboardDir: config.dashboardDir,
    adminToken: config.adminToken,
    storeMode: store.mode,
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
  logger.info({ module: 'server', message: 'listening', args: { url, store: store.mode } })

  return {
    url,
    port,
    projects,
    client: store.client,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await writer.flush()
      await alerts.stop()
      await store.client.close()
    },
  }
}
