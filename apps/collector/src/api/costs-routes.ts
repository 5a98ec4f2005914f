import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { parseCostGroup, parseCostSplit, queryCosts } from '../store/queries/costs'
import { parseExploreFilters } from '../store/queries/explore/filters'
import { parseTimeRange } from '../store/queries/time-range'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'

/** `GET /api/v1/costs?from&to&groupBy&split&name` and the Explore filters. */
export function createCostsRoutes(client: ClickHouseClient) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/costs', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.costs.query)
    const rows = await queryCosts(client, {
      projectId: c.get('identity').project.id,
      range: parseTimeRange(query.from as string | undefined, query.to as string | undefined),
      groupBy: parseCostGroup(query.groupBy as string | undefined),
      split: parseCostSplit(query.split as string | undefined),
      name: (query.name as string | undefined) || undefined,
      filters: { ...parseExploreFilters(query), name: undefined },
    })
    return c.json({ rows })
  })

  return routes
}
