import { randomBytes } from 'node:crypto'
import type { KeyIdentity } from '../store/projects'

const SESSION_MILLIS = 12 * 60 * 60 * 1000

/**
 * Dashboard sessions, in memory: a random token in an HttpOnly cookie stands for a key the user
 * signed in with, so the key itself never sits in the browser's storage. Sessions end after
 * 12 hours or when the collector restarts (signing in again is one paste).
 */
export class SessionStore {
  private sessions = new Map<string, { identity: KeyIdentity; expiresAt: number }>()

  create(identity: KeyIdentity): string {
    const token = randomBytes(32).toString('base64url')
    this.sessions.set(token, { identity, expiresAt: Date.now() + SESSION_MILLIS })
    return token
  }

  get(token: string): KeyIdentity | null {
    const session = this.sessions.get(token)
    if (!session) return null
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(token)
      return null
    }
    return session.identity
  }

  delete(token: string): void {
    this.sessions.delete(token)
  }
}
