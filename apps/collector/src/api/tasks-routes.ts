import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import { getTaskDetail } from '../store/queries/task-detail'
import { decodeTaskCursor } from '../store/queries/task-cursor'
import { listTaskPage } from '../store/queries/tasks'
import { parseExploreFilters } from '../store/queries/explore/filters'
import { parseTimeRange } from '../store/queries/time-range'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'

/** Task detail looks further back by default: a link to an old task should still open. */
const DETAIL_LOOKBACK_MILLIS = 90 * 24 * 60 * 60 * 1000

/** `GET /api/v1/tasks` and `GET /api/v1/tasks/:taskId`. */
export function createTasksRoutes(client: ClickHouseClient) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/tasks', async (c) => {
    const query = parseQuery(c.req.query(), ROUTES.listTasks.query)
    const cursor = query.cursor as string | undefined
    const after = cursor === undefined ? undefined : decodeTaskCursor(cursor)
    if (after === null) {
      const shown = cursor!.length > 80 ? `${cursor!.slice(0, 80)}…` : cursor!
      throw new HttpError(
        400,
        `cursor must be the nextCursor of an earlier page of this list, got ${JSON.stringify(shown)}`,
      )
    }
    const page = await listTaskPage(client, {
      projectId: c.get('identity').project.id,
      range: parseTimeRange(query.from as string | undefined, query.to as string | undefined),
      name: (query.name as string | undefined) || undefined,
      limit: (query.limit as number | undefined) ?? 100,
      filters: { ...parseExploreFilters(query), name: undefined },
      after,
    })
    return c.json(page)
  })

  routes.get('/tasks/:taskId', async (c) => {
    const taskId = c.req.param('taskId')
    const query = parseQuery(c.req.query(), ROUTES.getTask.query)
    const from =
      (query.from as string | undefined) ??
      new Date(Date.now() - DETAIL_LOOKBACK_MILLIS).toISOString()
    const detail = await getTaskDetail(client, {
      projectId: c.get('identity').project.id,
      taskId,
      range: parseTimeRange(from, query.to as string | undefined),
    })
    // Another project's task and a task that does not exist answer alike: 404.
    if (!detail) throw new HttpError(404, `no task ${JSON.stringify(taskId)} in this project`)
    return c.json(detail)
  })

  return routes
}
