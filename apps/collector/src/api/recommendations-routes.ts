import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import type { PriceBookStore } from '../store/price-book-store'
import { parseExploreFilters } from '../store/queries/explore/filters'
import { queryRecommendations } from '../store/queries/recommendations'
import { parseTimeRange } from '../store/queries/time-range'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'

/**
 * `GET /api/v1/recommendations?from&to[&taskName][&toleranceDrop][&clusterBy]` and the Explore
 * filters: cheaper models for steps, priced with the project's own price book, judged against
 * the tolerated quality drop.
 */
export function createRecommendationsRoutes(
  client: ClickHouseClient,
  priceBooks: PriceBookStore,
  defaultTolerance: number,
) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/recommendations', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.recommendations.query)
    const projectId = c.get('identity').project.id
    const taskName = query.taskName as string | undefined
    const clusterBy = String(query.clusterBy ?? 'step').split(',')
    const result = await queryRecommendations(client, {
      projectId,
      range: parseTimeRange(query.from as string | undefined, query.to as string | undefined),
      ...(taskName ? { taskName } : {}),
      tolerance: (query.toleranceDrop as number | undefined) ?? defaultTolerance,
      priceBook: await priceBooks.book(projectId),
      filters: parseExploreFilters(query),
      keys: {
        promptHash: clusterBy.includes('promptHash'),
        inputBand: clusterBy.includes('inputBand'),
      },
    })
    return c.json(result)
  })

  return routes
}
