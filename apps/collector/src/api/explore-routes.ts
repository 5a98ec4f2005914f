import type { ClickHouseClient } from '@clickhouse/client'
import { Hono, type Context } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import {
  BUILTIN_DIMENSIONS,
  DimensionStore,
  MAPPED_DIMENSIONS,
  type MappedDimension,
  type ShowbackDimension,
} from '../store/dimension-store'
import { parseExploreFilters } from '../store/queries/explore/filters'
import { queryOverview } from '../store/queries/explore/overview'
import { queryRegressions, type RegressionCompare } from '../store/queries/explore/regressions'
import { queryShowback } from '../store/queries/explore/showback'
import { parseTimeRange } from '../store/queries/time-range'
import { parseDimensionMappings } from './dimension-input'
import { parseQuery, type QueryValues } from './parse-query'
import { ROUTES } from './route-schemas'
import { readJsonObject } from './json-body'

/**
 * The Explore routes of the dashboard: `/overview`, `/showback`, `/regressions` and the showback
 * dimension mapping (`/settings/dimensions`; changing it needs the admin scope). Every read is
 * scoped to the key's project and a time range, and takes the Explore filters.
 */
export function createExploreRoutes(client: ClickHouseClient) {
  const routes = new Hono<{ Variables: AuthVariables }>()
  const dimensions = new DimensionStore(client)

  routes.get('/overview', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.overview.query)
    const now = new Date()
    return c.json(
      await queryOverview(client, {
        projectId: projectOf(c),
        range: rangeOf(query, now),
        filters: parseExploreFilters(query),
        now,
      }),
    )
  })

  routes.get('/showback', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.showback.query)
    const dimension = (query.groupBy as ShowbackDimension | undefined) ?? 'team'
    const projectId = projectOf(c)
    const mapped = (MAPPED_DIMENSIONS as readonly string[]).includes(dimension)
    return c.json(
      await queryShowback(client, {
        projectId,
        range: rangeOf(query),
        dimension,
        mapping: mapped ? await dimensions.find(projectId, dimension as MappedDimension) : null,
        splitByMonth: query.split === 'month',
        filters: parseExploreFilters(query),
      }),
    )
  })

  routes.get('/regressions', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.regressions.query)
    return c.json(
      await queryRegressions(client, {
        projectId: projectOf(c),
        range: rangeOf(query),
        compare: (query.compare as RegressionCompare | undefined) ?? 'period',
        versionAttribute: (query.versionAttribute as string | undefined) ?? 'service.version',
        filters: parseExploreFilters(query),
      }),
    )
  })

  routes.get('/settings/dimensions', async (c) => {
    parseQuery(c.req.query(), ROUTES.getDimensions.query)
    return c.json({
      dimensions: await dimensions.list(projectOf(c)),
      builtin: BUILTIN_DIMENSIONS.map((dimension) => ({
        dimension,
        column: dimension === 'service' ? 'service.name' : 'deployment.environment.name',
      })),
    })
  })

  routes.put('/settings/dimensions', async (c) => {
    const scopes = c.get('identity').scopes
    if (!scopes.includes('admin')) {
      throw new HttpError(403, `this key lacks the admin scope (it has: ${scopes.join(', ')})`)
    }
    const body = await readJsonObject(c.req, '{ "dimensions": [...] }')
    const mappings = parseDimensionMappings(body)
    return c.json({ dimensions: await dimensions.save(projectOf(c), mappings) })
  })

  return routes
}

function projectOf(c: Context<{ Variables: AuthVariables }>): string {
  return c.get('identity').project.id
}

function rangeOf(query: QueryValues, now?: Date) {
  return parseTimeRange(query.from as string | undefined, query.to as string | undefined, now)
}
