import { createContext, useContext } from 'react'

/** What a panel needs from the session: a way to say that the API answered 401. */
export interface AuthContextValue {
  onUnauthorized: () => void
}

/** Provided by the app around every page; the default does nothing, for pages rendered alone. */
export const AuthContext = createContext<AuthContextValue>({ onUnauthorized: () => {} })

/** The session actions a panel may call. */
export function useAuth(): AuthContextValue {
  return useContext(AuthContext)
}
