import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { parseCostGroup, parseCostSplit, queryCosts } from '../store/queries/costs'
import { parseTimeRange } from '../store/queries/time-range'

/** `GET /api/v1/costs?from&to&groupBy&split&name`. */
export function createCostsRoutes(client: ClickHouseClient) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/costs', async (c) => {
    const rows = await queryCosts(client, {
      projectId: c.get('identity').project.id,
      range: parseTimeRange(c.req.query('from'), c.req.query('to')),
      groupBy: parseCostGroup(c.req.query('groupBy')),
      split: parseCostSplit(c.req.query('split')),
      name: c.req.query('name') || undefined,
    })
    return c.json({ rows })
  })

  return routes
}
