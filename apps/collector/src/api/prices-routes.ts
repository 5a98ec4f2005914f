import type { ClickHouseClient } from '@clickhouse/client'
import { Hono, type Context } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import type { PriceBookStore } from '../store/price-book-store'
import { queryUnpriced } from '../store/queries/unpriced'
import { parseTimeRange } from '../store/queries/time-range'
import { repriceSpans } from '../store/reprice'
import { parseQuery } from './parse-query'
import { parsePriceEntry } from './price-entry-input'
import { ROUTES } from './route-schemas'
import { readJsonObject } from './json-body'

/**
 * The project's price book (`/api/v1/prices`), the unpriced calls (`/api/v1/unpriced`) and
 * `POST /api/v1/reprice`, which is how `pnpm agentmeter reprice` reaches a store held by a
 * running collector. Changing prices and repricing need the admin scope.
 */
export function createPricesRoutes(client: ClickHouseClient, priceBooks: PriceBookStore) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/prices', async (c) => {
    parseQuery(c.req.query(), [])
    return c.json({ prices: await priceBooks.list(projectOf(c)) })
  })

  routes.post('/prices', async (c) => {
    requireAdmin(c)
    const entry = parsePriceEntry(await readJsonObject(c.req))
    return c.json({ price: await priceBooks.add(projectOf(c), entry) }, 201)
  })

  routes.delete('/prices/:id', async (c) => {
    requireAdmin(c)
    const id = c.req.param('id')
    if (!(await priceBooks.remove(projectOf(c), id))) {
      throw new HttpError(404, `no price ${JSON.stringify(id)} in this project`)
    }
    return c.json({ deleted: id })
  })

  routes.get('/unpriced', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.unpriced.query)
    const range = parseTimeRange(query.from as string | undefined, query.to as string | undefined)
    return c.json(await queryUnpriced(client, { projectId: projectOf(c), range }))
  })

  routes.post('/reprice', async (c) => {
    requireAdmin(c)
    const body = await readJsonObject(c.req)
    for (const field of ['from', 'to'])
      if (typeof body[field] !== 'string')
        throw new HttpError(
          400,
          `${field} is required (ISO 8601), got ${JSON.stringify(body[field] ?? null)}`,
        )
    if (body.model !== undefined && typeof body.model !== 'string')
      throw new HttpError(400, `model must be a string, got ${JSON.stringify(body.model)}`)
    const projectId = projectOf(c)
    const result = await repriceSpans(client, {
      projectId,
      range: parseTimeRange(body.from as string, body.to as string),
      model: (body.model as string | undefined) || undefined,
      priceBook: await priceBooks.book(projectId),
    })
    return c.json(result)
  })

  return routes
}

function projectOf(c: Context<{ Variables: AuthVariables }>): string {
  return c.get('identity').project.id
}

function requireAdmin(c: Context<{ Variables: AuthVariables }>): void {
  const scopes = c.get('identity').scopes
  if (!scopes.includes('admin'))
    throw new HttpError(403, `this key lacks the admin scope (it has: ${scopes.join(', ')})`)
}
