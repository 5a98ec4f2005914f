import type { ClickHouseClient } from '@clickhouse/client'
import { Hono } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import type { ProjectSettingsStore } from '../store/project-settings-store'
import { getSpanContent } from '../store/queries/span-content'
import { parseTimeRange } from '../store/queries/time-range'
import { CONTENT_ROUTES } from './content-route-schemas'
import { parseQuery } from './parse-query'

/** Like task detail, content looks back 90 days by default, so an old task's link still opens. */
const CONTENT_LOOKBACK_MILLIS = 90 * 24 * 60 * 60 * 1000

const SPAN_ID = /^[0-9a-f]{16}$/

/** `GET /api/v1/tasks/:taskId/spans/:spanId/content` (read scope, the key's project only). */
export function createContentRoutes(client: ClickHouseClient, settings: ProjectSettingsStore) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/tasks/:taskId/spans/:spanId/content', async (c) => {
    const { taskId, spanId } = c.req.param()
    const query = parseQuery(c.req.query(), CONTENT_ROUTES.getSpanContent.query)
    if (!SPAN_ID.test(spanId)) {
      throw new HttpError(
        400,
        `spanId must be 16 lower-case hex digits, got ${JSON.stringify(spanId.slice(0, 40))}`,
      )
    }
    const projectId = c.get('identity').project.id
    const from =
      (query.from as string | undefined) ??
      new Date(Date.now() - CONTENT_LOOKBACK_MILLIS).toISOString()
    const range = parseTimeRange(from, query.to as string | undefined)
    const [span, projectSettings] = await Promise.all([
      getSpanContent(client, { projectId, taskId, spanId, range }),
      settings.get(projectId),
    ])
    // Another project's span and a span that does not exist answer alike: 404.
    if (!span) {
      throw new HttpError(
        404,
        `no span ${JSON.stringify(spanId)} in task ${JSON.stringify(taskId)} of this project`,
      )
    }
    return c.json({ ...span, captureContent: projectSettings.captureContent })
  })

  return routes
}
