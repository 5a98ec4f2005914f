import { randomBytes } from 'node:crypto'
import type { KeyIdentity } from '../store/projects'

const SESSION_MILLIS = 12 * 60 * 60 * 1000

/** What a session stands for: the key's identity, and its hash to check it is still active. */
export interface Session {
  identity: KeyIdentity
  keyHash: string
}

/**
 * Dashboard sessions, in memory: a random token in an HttpOnly cookie stands for a key the user
 * signed in with, so the key itself never sits in the browser's storage. Sessions end after
 * 12 hours or when the collector restarts (signing in again is one paste), and with their key:
 * every use checks the key again (`resolveSession`), so a revocation ends them at once.
 */
export class SessionStore {
  private sessions = new Map<string, Session & { expiresAt: number }>()

  create(identity: KeyIdentity, keyHash: string): string {
    const token = randomBytes(32).toString('base64url')
    this.sessions.set(token, { identity, keyHash, expiresAt: Date.now() + SESSION_MILLIS })
    return token
  }

  get(token: string): Session | null {
    const session = this.sessions.get(token)
    if (!session) return null
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(token)
      return null
    }
    return { identity: session.identity, keyHash: session.keyHash }
  }

  delete(token: string): void {
    this.sessions.delete(token)
  }
}
