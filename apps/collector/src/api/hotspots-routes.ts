import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { parseExploreFilters } from '../store/queries/explore/filters'
import { queryHotspots } from '../store/queries/hotspots'
import { parseTimeRange } from '../store/queries/time-range'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'

/**
 * `GET /api/v1/hotspots?from&to` and the Explore filters: repeated work, priced, ranked by
 * dollars wasted.
 */
export function createHotspotsRoutes(client: ClickHouseClient) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/hotspots', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.hotspots.query)
    const window = query.duplicateWindowSeconds as number | undefined
    const examples = query.examples as number | undefined
    const result = await queryHotspots(client, {
      projectId: c.get('identity').project.id,
      range: parseTimeRange(query.from as string | undefined, query.to as string | undefined),
      ...(window !== undefined ? { duplicateWindowSeconds: window } : {}),
      ...(examples !== undefined ? { exampleLimit: examples } : {}),
      filters: parseExploreFilters(query),
    })
    return c.json(result)
  })

  return routes
}
