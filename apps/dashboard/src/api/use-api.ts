import { useCallback, useEffect, useEffectEvent, useState } from 'react'
import { useAuth } from '../session/auth-context'
import { UnauthorizedError } from './client'
import { errorMessage } from './error-message'

/** What a panel renders: it is loading, it failed (with a way to try again), or it has data. */
export type ApiState<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; retry: () => void }
  | { status: 'ready'; data: T }

type Settled<T> = { status: 'error'; message: string } | { status: 'ready'; data: T }

/**
 * Loads data for one panel and turns every failure into an error state, so no API answer can
 * throw out of a render. `load` runs again whenever `key` changes (the key names everything the
 * request depends on), and the answer of a superseded request is dropped. A 401 also tells the
 * session, which then shows the sign-in form.
 */
export function useApi<T>(key: string, load: (signal: AbortSignal) => Promise<T>): ApiState<T> {
  const { onUnauthorized } = useAuth()
  const [attempt, setAttempt] = useState(0)
  const [result, setResult] = useState<{ requestKey: string; state: Settled<T> } | null>(null)
  const requestKey = `${attempt}:${key}`

  const run = useEffectEvent(load)
  const unauthorized = useEffectEvent(onUnauthorized)
  useEffect(() => {
    const controller = new AbortController()
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResult({ requestKey, state: { status: 'ready', data } })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        if (error instanceof UnauthorizedError) unauthorized()
        setResult({ requestKey, state: { status: 'error', message: errorMessage(error) } })
      },
    )
    return () => controller.abort()
  }, [requestKey])

  const retry = useCallback(() => setAttempt((count) => count + 1), [])
  if (result === null || result.requestKey !== requestKey) return { status: 'loading' }
  return result.state.status === 'error' ? { ...result.state, retry } : result.state
}
