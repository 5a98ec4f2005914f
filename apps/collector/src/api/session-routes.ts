import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { resolveSession, SESSION_COOKIE } from '../auth/authenticate'
import type { SessionStore } from '../auth/sessions'
import { HttpError } from '../errors'
import { hashKey, type ProjectStore } from '../store/projects'

/**
 * Dashboard sign-in with a project key. The cookie is HttpOnly (no script reads it) and
 * SameSite=Strict (no other site's page can send it), which also makes the read API CSRF-safe.
 */
export function createSessionRoutes(projects: ProjectStore, sessions: SessionStore) {
  const routes = new Hono()

  routes.post('/session', async (c) => {
    const body: unknown = await c.req.json().catch(() => null)
    const key =
      typeof body === 'object' && body !== null ? (body as { key?: unknown }).key : undefined
    if (typeof key !== 'string' || key === '') {
      throw new HttpError(400, 'body must be JSON {"key": "<project key>"}')
    }
    const keyHash = hashKey(key.trim())
    const identity = await projects.authenticateHash(keyHash)
    if (!identity && (await projects.isRevokedHash(keyHash))) {
      throw new HttpError(401, 'that key was revoked: sign in with a key that is not')
    }
    if (!identity || !(identity.scopes.includes('read') || identity.scopes.includes('admin'))) {
      throw new HttpError(401, 'that key is not a valid project key with the read scope')
    }
    setCookie(c, SESSION_COOKIE, sessions.create(identity, keyHash), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
    })
    return c.json({ project: identity.project })
  })

  routes.get('/session', async (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    const identity = token ? await resolveSession(token, projects, sessions) : null
    if (!identity) throw new HttpError(401, 'not signed in')
    return c.json({ project: identity.project })
  })

  routes.delete('/session', (c) => {
    const token = getCookie(c, SESSION_COOKIE)
    if (token) sessions.delete(token)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.json({ ok: true })
  })

  return routes
}
