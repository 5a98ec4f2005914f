import { Hono, type Context } from 'hono'
import type { AuthVariables } from '../auth/authenticate'
import { HttpError } from '../errors'
import { parseRedactionRules } from '../ingest/redaction'
import type { ProjectSettingsStore } from '../store/project-settings-store'
import { parseQuery } from './parse-query'
import { readJsonObject } from './json-body'

/**
 * `/api/v1/settings`: whether the project stores captured content, and its redaction rules.
 * Reading needs the read scope, changing them the admin scope.
 */
export function createSettingsRoutes(settings: ProjectSettingsStore) {
  const routes = new Hono<{ Variables: AuthVariables }>()

  routes.get('/settings', async (c) => {
    parseQuery(c.req.query(), [])
    return c.json({ settings: await settings.get(projectOf(c)) })
  })

  routes.put('/settings', async (c) => {
    const scopes = c.get('identity').scopes
    if (!scopes.includes('admin')) {
      throw new HttpError(403, `this key lacks the admin scope (it has: ${scopes.join(', ')})`)
    }
    const body = await readJsonObject(
      c.req.raw,
      '{ "captureContent": ..., "redactionRules": [...] }',
    )
    const { captureContent, redactionRules = [] } = body
    if (typeof captureContent !== 'boolean') {
      throw new HttpError(
        400,
        `captureContent must be true or false, got ${JSON.stringify(captureContent ?? null)}`,
      )
    }
    const saved = await settings.put(projectOf(c), {
      captureContent,
      redactionRules: parseRedactionRules(redactionRules),
    })
    return c.json({ settings: saved })
  })

  return routes
}

function projectOf(c: Context<{ Variables: AuthVariables }>): string {
  return c.get('identity').project.id
}
