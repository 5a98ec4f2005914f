import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import type { PriceBookStore } from '../store/price-book-store'
import { queryWhatIf } from '../store/queries/what-if/what-if'
import { parseWhatIfInput } from './what-if-input'
import { readJsonObject } from './json-body'

/**
 * `POST /api/v1/recommendations/what-if`: the project's last days repriced under the accepted
 * recommendations, so the cost per task after a switch is known before anyone changes code.
 * It only reads (the read scope is enough), always within the key's project.
 */
export function createWhatIfRoutes(client: ClickHouseClient, priceBooks: PriceBookStore) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.post('/recommendations/what-if', async (c) => {
    const body = await readJsonObject(c.req, '{ "accepted": [...] }')
    const input = parseWhatIfInput(body)
    const projectId = c.get('identity').project.id
    const result = await queryWhatIf(client, {
      projectId,
      input,
      priceBook: await priceBooks.book(projectId),
    })
    return c.json(result)
  })

  return routes
}
