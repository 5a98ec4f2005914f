import { useCallback, useEffect, useState } from 'react'
import { UnauthorizedError } from '../api/client'
import { createSession, deleteSession, fetchSession } from '../api/endpoints'
import { errorMessage } from '../api/error-message'
import type { Project } from '../api/types'
import { signInRefusal } from './sign-in-refusal'

/** Where the browser's session stands. */
export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-in'; project: Project }
  | { status: 'signed-out'; notice: string | null }
  | { status: 'error'; message: string }

/** The session and what can be done with it. */
export interface Session {
  state: SessionState
  /** Trades a project key for a session; resolves to an error message, or `null` on success. */
  signIn: (key: string) => Promise<string | null>
  signOut: () => Promise<void>
  /** Called when any API answer is a 401: the session is gone, so show the sign-in form. */
  expire: () => void
  /** Checks the session again after the collector could not be reached. */
  retry: () => void
}

const LINK_KEY_REFUSED = 'The key in the link was not accepted. Paste a project key to sign in.'
const SESSION_ENDED = 'Your session has ended. Sign in again to continue.'

/**
 * Holds the session. On start it signs in with `initialKey` (taken from the URL fragment) when
 * there is one, and otherwise asks the collector whether the session cookie is still good.
 */
export function useSession(initialKey: string | null): Session {
  const [state, setState] = useState<SessionState>({ status: 'checking' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let current = true
    const check = initialKey === null ? fetchSession() : createSession(initialKey)
    check.then(
      (project) => {
        if (current) setState({ status: 'signed-in', project })
      },
      (error: unknown) => {
        if (!current) return
        if (error instanceof UnauthorizedError) {
          setState({ status: 'signed-out', notice: initialKey === null ? null : LINK_KEY_REFUSED })
        } else {
          setState({ status: 'error', message: errorMessage(error) })
        }
      },
    )
    return () => {
      current = false
    }
  }, [initialKey, attempt])

  const signIn = useCallback(async (key: string): Promise<string | null> => {
    try {
      setState({ status: 'signed-in', project: await createSession(key.trim()) })
      return null
    } catch (error) {
      if (error instanceof UnauthorizedError) return signInRefusal(error.message)
      return errorMessage(error)
    }
  }, [])

  const signOut = useCallback(async (): Promise<void> => {
    try {
      await deleteSession()
    } catch {
      // The cookie may outlive a failed sign-out; the form shows either way, and the next
      // request will tell whether the session is still good.
    }
    setState({ status: 'signed-out', notice: null })
  }, [])

  const expire = useCallback(() => {
    setState((previous) =>
      previous.status === 'signed-in' ? { status: 'signed-out', notice: SESSION_ENDED } : previous,
    )
  }, [])

  const retry = useCallback(() => {
    setState({ status: 'checking' })
    setAttempt((count) => count + 1)
  }, [])

  return { state, signIn, signOut, expire, retry }
}
