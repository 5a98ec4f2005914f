import type { ClickHouseClient } from '@clickhouse/client'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { AlertEngine } from './alerts'
import { createApp } from './app'
import { isLoopbackHost, listenRefusal } from './auth/listen-guard'
import { SessionStore } from './auth/sessions'
import type { CollectorConfig } from './config'
import { RateLimiter } from './ingest/rate-limiter'
import { createLogger, type Logger } from './logger'
import { Metrics } from './metrics'
import { openStoreClient } from './store/client'
import { migrate } from './store/migrations'
import { PriceBookStore } from './store/price-book-store'
import { ProjectSettingsStore } from './store/project-settings-store'
import { ALL_SCOPES, ProjectStore } from './store/projects'
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

  const writer = new SpanWriter(store.client, logger, undefined, store.mode === 'embedded')
  const metrics = new Metrics()
  metrics.gauge('agentmeter_insert_queue_rows', 'Span rows waiting for an insert', () =>
    writer.queuedRows(),
  )
  const alerts = new AlertEngine(store.client, logger, metrics, config.alerts)
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
    priceBooks: new PriceBookStore(store.client),
    settings: new ProjectSettingsStore(store.client),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    limits: config.ingestLimits,
    rateLimiter: new RateLimiter(config.rateLimitSpansPerSecond, config.rateLimitBurst),
    dashboardDir: config.dashboardDir,
    adminToken: config.adminToken,
    storeMode: store.mode,
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
  durable.start()
  logger.info({ module: 'server', message: 'listening', args: { url, store: store.mode } })

  return {
    url,
    port,
    projects,
    client: store.client,
    fetch: (request) => app.fetch(request),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await durable.close()
      await alerts.stop()
      await store.client.close()
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
