import { isIP } from 'node:net'

/** What decides whether a collector may listen beyond loopback. */
export interface ListenAuth {
  host: string
  /** `AGENTMETER_ADMIN_TOKEN` as the operator set it (not one `start` made up for local CLI use). */
  adminToken: string | undefined
  /** `AGENTMETER_INIT_PROJECT` + `AGENTMETER_INIT_API_KEY` are both set. */
  initKey: boolean
  /** Keys in the store that are not revoked. */
  activeKeys: number
}

/** Shortest admin token accepted off loopback: 16 characters, about 96 bits when random. */
export const MIN_EXPOSED_ADMIN_TOKEN_CHARS = 16

/** True for `localhost`, 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost' || bare === '::1') return true
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare
  return isIP(v4) === 4 && v4.startsWith('127.')
}

/**
 * Why a collector must not listen on `host`, or null when it may. Off loopback, "auth configured"
 * means someone can sign in and nobody can without a secret: an operator-set admin token of at
 * least 16 characters, an init key, or a project key already in the store. Every route but the
 * health checks, `/metrics`, the OpenAPI document and the dashboard's static files needs one of
 * them.
 */
export function listenRefusal(auth: ListenAuth): string | null {
  if (isLoopbackHost(auth.host)) return null
  if (auth.adminToken !== undefined) {
    if (auth.adminToken.length >= MIN_EXPOSED_ADMIN_TOKEN_CHARS) return null
    return `refusing to listen on ${auth.host}: AGENTMETER_ADMIN_TOKEN has ${auth.adminToken.length} characters; off loopback it needs at least ${MIN_EXPOSED_ADMIN_TOKEN_CHARS}`
  }
  if (auth.initKey || auth.activeKeys > 0) return null
  return `refusing to listen on ${auth.host} without auth configured: set AGENTMETER_ADMIN_TOKEN (at least ${MIN_EXPOSED_ADMIN_TOKEN_CHARS} characters) or AGENTMETER_INIT_PROJECT and AGENTMETER_INIT_API_KEY, or create a key first (agentmeter keys create); or listen on 127.0.0.1`
}
