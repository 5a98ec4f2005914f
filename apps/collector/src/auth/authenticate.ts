import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { HttpError } from '../errors'
import type { KeyIdentity, ProjectStore, Scope } from '../store/projects'
import type { SessionStore } from './sessions'

export const SESSION_COOKIE = 'agentmeter_session'

export interface AuthVariables {
  identity: KeyIdentity
}

/**
 * Resolves the caller's project from `Authorization: Bearer <key>` (SDKs, scripts) or the
 * dashboard's session cookie, and requires `scope`. The project always comes from the key,
 * never from the request. Failures never echo the key.
 */
export function requireScope(
  scope: Scope,
  projects: ProjectStore,
  sessions: SessionStore,
): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const identity = await resolveIdentity(
      c.req.header('authorization'),
      getCookie(c, SESSION_COOKIE),
      projects,
      sessions,
    )
    if (!identity) {
      throw new HttpError(
        401,
        'missing or invalid API key: send Authorization: Bearer <project key>',
      )
    }
    if (!identity.scopes.includes(scope) && !identity.scopes.includes('admin')) {
      throw new HttpError(
        403,
        `this key lacks the ${scope} scope (it has: ${identity.scopes.join(', ')})`,
      )
    }
    c.set('identity', identity)
    await next()
  }
}

async function resolveIdentity(
  authorization: string | undefined,
  sessionToken: string | undefined,
  projects: ProjectStore,
  sessions: SessionStore,
): Promise<KeyIdentity | null> {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    return match ? projects.authenticate(match[1]!) : null
  }
  return sessionToken ? resolveSession(sessionToken, projects, sessions) : null
}

/**
 * The identity of a dashboard session, if its key is still active: the key is looked up again
 * (through the key cache, which a revocation clears), and a session of a revoked key ends.
 */
export async function resolveSession(
  token: string,
  projects: ProjectStore,
  sessions: SessionStore,
): Promise<KeyIdentity | null> {
  const session = sessions.get(token)
  if (!session) return null
  const identity = await projects.authenticateHash(session.keyHash)
  if (!identity) sessions.delete(token)
  return identity
}
