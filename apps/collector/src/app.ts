import type { ClickHouseClient } from '@clickhouse/client'
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { AlertEngine } from './alerts'
import { createAdminRoutes } from './api/admin-routes'
import { createAlertRoutes } from './api/alert-routes'
import { createContentRoutes } from './api/content-routes'
import { createCostsRoutes } from './api/costs-routes'
import { createExploreRoutes } from './api/explore-routes'
import { createHotspotsRoutes } from './api/hotspots-routes'
import { createSessionRoutes } from './api/session-routes'
import { createSpoolRoutes, type SpoolControl } from './api/spool-routes'
import { renderOpenApi } from './api/openapi'
import { createDashboardHandler } from './api/static-dashboard'
import { createTasksRoutes } from './api/tasks-routes'
import { createPricesRoutes } from './api/prices-routes'
import { createSettingsRoutes } from './api/settings-routes'
import { createRecommendationsRoutes } from './api/recommendations-routes'
import { createWhatIfRoutes } from './api/what-if-routes'
import { requireScope, type AuthVariables } from './auth/authenticate'
import type { SessionStore } from './auth/sessions'
import { HttpError } from './errors'
import type { IngestAdmission } from './ingest/admission'
import type { IngestLimits } from './ingest/limits'
import type { RateLimiter } from './ingest/rate-limiter'
import { createTracesRoute } from './ingest/traces-route'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { PriceBookStore } from './store/price-book-store'
import type { ProjectSettingsStore } from './store/project-settings-store'
import { runDoctorChecks } from './store/doctor-checks'
import type { ProjectStore } from './store/projects'
import { schemaState, SCHEMA_VERSION } from './store/migrations'
import type { SpanSink } from './store/spool/durable-writer'

export interface AppDeps {
  client: ClickHouseClient
  projects: ProjectStore
  sessions: SessionStore
  writer: SpanSink
  /** The local spool, for `/readyz` details and the admin spool routes. */
  spool?: SpoolControl
  priceBooks: PriceBookStore
  settings: ProjectSettingsStore
  logger: Logger
  metrics: Metrics
  maxBodyBytes: number
  limits: IngestLimits
  rateLimiter: RateLimiter
  admission?: IngestAdmission
  dashboardDir: string
  adminToken: string | undefined
  alerts: AlertEngine
  storeMode: 'embedded' | 'server'
  /** The ClickHouse cluster in cluster mode (for the doctor's checks). */
  cluster?: string | undefined
  /** Tolerated quality drop of routing recommendations, in points (config.ts). */
  recommendTolerancePoints: number
}

/** The collector's HTTP surface: OTLP ingest, the JSON API, health, and the dashboard. */
export function createApp(deps: AppDeps) {
  const app = new Hono<{ Variables: AuthVariables & { requestId: string } }>()

  // Every response carries a request id (the caller's, when it sent a sane one), and every
  // error log line names it, so a user's report can be matched to the server's log.
  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id')
    c.set('requestId', given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID())
    // Set before the handler runs, so that every response it builds carries it: set after, Hono
    // would copy the finished response to add one header (a tenth of a rejected ingest's cost).
    c.header('x-request-id', c.get('requestId'))
    const startedAt = performance.now()
    await next()
    if (!c.res.headers.has('x-request-id')) c.header('x-request-id', c.get('requestId'))
    // One line per request: debug when it went well, warn when the server failed it. The path
    // is logged without its query string (which may carry filter values) and never a header.
    const status = c.res.status
    // Built only when it will be written: this runs for every ingest request.
    if (status < 500 && deps.logger.level !== 'debug') return
    const entry = {
      module: 'http',
      message: 'request',
      args: {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status,
        millis: Math.round(performance.now() - startedAt),
      },
    }
    if (status >= 500) deps.logger.warn(entry)
    else deps.logger.debug(entry)
  })

  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const reachable = await deps.client.ping().then(
      (result) => result.success,
      () => false,
    )
    // Unreachable, the store's schema is unknown: nothing is said pending.
    const schema = reachable ? await schemaState(deps.client) : { applied: 0, pending: [] }
    const ready = reachable && schema.pending.length === 0
    return c.json(
      {
        status: ready ? 'ready' : 'unavailable',
        store: { mode: deps.storeMode, reachable },
        schema: { applied: schema.applied, expected: SCHEMA_VERSION, pending: schema.pending },
        // Quarantined batches do not make the collector unready: new spans are stored, and
        // those batches wait for an operator (`pnpm agentmeter spool`).
        ...(deps.spool ? { spool: deps.spool.status() } : {}),
      },
      ready ? 200 : 503,
    )
  })
  app.get('/metrics', (c) =>
    c.text(deps.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }),
  )

  app.route('/', createTracesRoute(deps))
  app.all('/v1/traces', () => {
    throw new HttpError(405, 'use POST for /v1/traces')
  })

  const api = new Hono<{ Variables: AuthVariables }>()
  api.route('/', createSessionRoutes(deps.projects, deps.sessions))
  const doctor = () =>
    runDoctorChecks({ client: deps.client, mode: deps.storeMode }, { cluster: deps.cluster })
  api.route('/', createAdminRoutes(deps.projects, deps.adminToken, doctor))
  if (deps.spool) api.route('/', createSpoolRoutes(deps.spool, deps.adminToken))
  api.get('/openapi.json', (c) => c.json(renderOpenApi()))
  api.use('*', requireScope('read', deps.projects, deps.sessions))
  api.route('/', createTasksRoutes(deps.client))
  api.route('/', createCostsRoutes(deps.client))
  api.route('/', createAlertRoutes(deps.alerts))
  api.route('/', createPricesRoutes(deps.client, deps.priceBooks))
  api.route('/', createHotspotsRoutes(deps.client))
  api.route('/', createSettingsRoutes(deps.settings))
  api.route('/', createContentRoutes(deps.client, deps.settings))
  api.route(
    '/',
    createRecommendationsRoutes(deps.client, deps.priceBooks, deps.recommendTolerancePoints),
  )
  api.route('/', createWhatIfRoutes(deps.client, deps.priceBooks))
  api.route('/', createExploreRoutes(deps.client))
  api.all('*', (c) => {
    throw new HttpError(404, `no API route ${c.req.method} ${new URL(c.req.url).pathname}`)
  })
  app.route('/api/v1', api)

  app.get('*', createDashboardHandler(deps.dashboardDir))

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status)
    deps.logger.error({
      module: 'http',
      message: 'unhandled error',
      args: {
        method: c.req.method,
        path: c.req.path,
        requestId: c.get('requestId'),
      },
      err,
    })
    return c.json({ error: 'internal error' }, 500)
  })
  app.notFound((c) => c.json({ error: `not found: ${new URL(c.req.url).pathname}` }, 404))

  return app
}
