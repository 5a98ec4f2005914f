import { useMemo, useSyncExternalStore } from 'react'

// pushState and replaceState fire no event, so navigate() announces itself with this one.
const NAVIGATE_EVENT = 'agentmeter:navigate'

/** The part of the URL the dashboard routes on. */
export interface AppLocation {
  pathname: string
  search: string
}

/**
 * Moves to `href` (same origin) without reloading the page. `replace` rewrites the current
 * history entry instead, for filter changes that should not pile up in the back button.
 */
export function navigate(href: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.history.replaceState(null, '', href)
  else {
    window.history.pushState(null, '', href)
    window.scrollTo(0, 0)
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATE_EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATE_EVENT, onChange)
  }
}

function snapshot(): string {
  return `${window.location.pathname}${window.location.search}`
}

/** The current path and query string; re-renders on every navigation, back and forward included. */
export function useLocation(): AppLocation {
  const current = useSyncExternalStore(subscribe, snapshot)
  return useMemo(() => {
    const queryStart = current.indexOf('?')
    return queryStart === -1
      ? { pathname: current, search: '' }
      : { pathname: current.slice(0, queryStart), search: current.slice(queryStart) }
  }, [current])
}
