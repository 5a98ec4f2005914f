/** A page of the dashboard, parsed from the URL path. */
export type Route =
  | { page: 'costs' }
  | { page: 'task'; taskId: string }
  | { page: 'alerts' }
  | { page: 'prices' }
  | { page: 'hotspots' }
  | { page: 'recommendations' }
  | { page: 'overview' }
  | { page: 'showback' }
  | { page: 'regressions' }
  | { page: 'not-found' }

const TASK_PREFIX = '/tasks/'

/** The routing recommendations page, with its what-if view. */
export const RECOMMENDATIONS_PATH = '/recommendations'

/** The alerts page: rules, their state and recent firings. */
export const ALERTS_PATH = '/alerts'

/**
 * Parses a URL path: `/` is the cost-per-task page, `/tasks/:taskId` a task (the id
 * percent-decoded), `/alerts` the alerts page, `/prices` the price book, `/recommendations` the
 * routing recommendations, `/overview`, `/showback` and `/regressions` the Explore pages;
 * anything else is not found.
 */
export function parseRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  if (path === '' || path === '/' || path === '/index.html') return { page: 'costs' }
  if (path === ALERTS_PATH) return { page: 'alerts' }
  if (path === '/prices') return { page: 'prices' }
  if (path === '/hotspots') return { page: 'hotspots' }
  if (path === RECOMMENDATIONS_PATH) return { page: 'recommendations' }
  if (path === '/overview') return { page: 'overview' }
  if (path === '/showback') return { page: 'showback' }
  if (path === '/regressions') return { page: 'regressions' }
  if (!path.startsWith(TASK_PREFIX)) return { page: 'not-found' }

  const segment = path.slice(TASK_PREFIX.length)
  if (segment === '' || segment.includes('/')) return { page: 'not-found' }
  try {
    return { page: 'task', taskId: decodeURIComponent(segment) }
  } catch {
    return { page: 'not-found' }
  }
}

/** The path of a task's page; the id is percent-encoded so any id survives the round trip. */
export function taskHref(taskId: string): string {
  return `${TASK_PREFIX}${encodeURIComponent(taskId)}`
}
