import { timingSafeEqual } from 'node:crypto'
import { Hono, type MiddlewareHandler } from 'hono'
import { HttpError } from '../errors'
import type { DoctorCheck } from '../store/doctor-checks'
import { ALL_SCOPES, keyPrefix, type ProjectStore, type Scope } from '../store/projects'
import { parseQuery } from './parse-query'
import { ROUTES } from './route-schemas'
import { readJsonObject } from './json-body'

/**
 * Instance admin routes, enabled only when `AGENTMETER_ADMIN_TOKEN` is set: create projects,
 * create, list and revoke keys, run `agentmeter doctor`'s checks on the collector's store. They
 * are how CLI commands reach a store held by a running collector.
 */
export function createAdminRoutes(
  projects: ProjectStore,
  adminToken: string | undefined,
  doctor: () => Promise<DoctorCheck[]>,
) {
  const routes = new Hono()
  routes.use('/admin/*', requireAdminToken(adminToken))

  routes.get('/admin/doctor', async (c) => c.json({ checks: await doctor() }))

  routes.post('/admin/projects', async (c) => {
    const { name } = await readJsonObject(c.req)
    if (typeof name !== 'string' || name.trim() === '') {
      throw new HttpError(400, `name must be a non-empty string, got ${JSON.stringify(name)}`)
    }
    const project = await projects.ensureProject(name.trim())
    const key = await projects.createKey(project.id, ALL_SCOPES)
    return c.json({ project, key, prefix: keyPrefix(key) }, 201)
  })

  routes.post('/admin/keys', async (c) => {
    const { project: name, scopes } = await readJsonObject(c.req)
    if (typeof name !== 'string' || name.trim() === '') {
      throw new HttpError(400, `project must be a project name, got ${JSON.stringify(name)}`)
    }
    const parsed = parseScopes(scopes)
    const project = await projects.ensureProject(name.trim())
    const key = await projects.createKey(project.id, parsed)
    return c.json({ project, key, prefix: keyPrefix(key), scopes: parsed }, 201)
  })

  routes.get('/admin/keys', async (c) => {
    const name = parseQuery(c.req.query(), ROUTES.listKeys.query).project as string | undefined
    if (name === undefined) return c.json({ keys: await projects.listKeys() })
    const project = await projects.findProjectByName(name)
    if (!project) throw new HttpError(404, `no project named ${JSON.stringify(name)}`)
    return c.json({ keys: await projects.listKeys(project.id) })
  })

  routes.delete('/admin/keys/:prefix', async (c) => {
    const name = parseQuery(c.req.query(), ROUTES.revokeKey.query).project as string | undefined
    const prefix = c.req.param('prefix')
    // Named, the project bounds the revocation: another project's key, or a project that does
    // not exist, answers as a key that does not exist.
    const projectId =
      name === undefined ? undefined : ((await projects.findProjectByName(name))?.id ?? null)
    const revoked = projectId === null ? 0 : await projects.revokeKey(prefix, projectId)
    if (revoked === 0) {
      const where = name === undefined ? '' : ` in project ${JSON.stringify(name)}`
      throw new HttpError(404, `no active key with prefix ${JSON.stringify(prefix)}${where}`)
    }
    return c.json({ revoked })
  })

  return routes
}

/** Scopes from a JSON array or a comma-separated string; every entry must be a known scope. */
export function parseScopes(value: unknown): Scope[] {
  const list = typeof value === 'string' ? value.split(',') : value
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError(
      400,
      `scopes must be a non-empty list of ${ALL_SCOPES.join(', ')}, got ${JSON.stringify(value)}`,
    )
  }
  return list.map((scope) => {
    const trimmed = typeof scope === 'string' ? scope.trim() : scope
    if (!(ALL_SCOPES as readonly unknown[]).includes(trimmed)) {
      throw new HttpError(
        400,
        `unknown scope ${JSON.stringify(scope)}; expected one of ${ALL_SCOPES.join(', ')}`,
      )
    }
    return trimmed as Scope
  })
}

/** Lets a request through only with the instance admin token (404 while none is configured). */
export function requireAdminToken(adminToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!adminToken)
      throw new HttpError(404, 'admin routes are disabled: set AGENTMETER_ADMIN_TOKEN')
    const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
    const a = Buffer.from(given)
    const b = Buffer.from(adminToken)
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new HttpError(401, 'invalid admin token')
    await next()
  }
}
