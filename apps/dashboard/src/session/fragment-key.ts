/**
 * Reads the project key from a URL fragment such as `#key=am_123` (how the quick start opens the
 * dashboard); `null` when there is none. Other fragment parameters are ignored.
 */
export function readKeyFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash
  const key = new URLSearchParams(fragment).get('key')
  return key === null || key.trim() === '' ? null : key.trim()
}

/** The parts of `window` that `takeKeyFromLocation` touches, so it can run without a browser. */
export interface LocationAccess {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>
  history: Pick<History, 'replaceState' | 'state'>
}

/**
 * Takes the key out of the page's URL: returns it and drops the whole fragment from the address
 * bar and the history entry right away, before any request, so the key does not linger where a
 * screenshot, a shared link or the back button would show it.
 */
export function takeKeyFromLocation({ location, history }: LocationAccess): string | null {
  const key = readKeyFromFragment(location.hash)
  if (key !== null) history.replaceState(history.state, '', location.pathname + location.search)
  return key
}
