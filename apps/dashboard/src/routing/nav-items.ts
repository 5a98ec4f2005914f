import type { Route } from './route'

/** One entry of the main navigation, and the pages it stands for. */
export interface NavItem {
  href: string
  label: string
  pages: readonly Route['page'][]
}

/** The main navigation, in the order of the header. A task belongs to the cost-per-task list. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/overview', label: 'Overview', pages: ['overview'] },
  { href: '/', label: 'Cost per task', pages: ['costs', 'task'] },
  { href: '/showback', label: 'Showback', pages: ['showback'] },
  { href: '/regressions', label: 'Regressions', pages: ['regressions'] },
  { href: '/alerts', label: 'Alerts', pages: ['alerts'] },
  { href: '/prices', label: 'Prices', pages: ['prices'] },
  { href: '/hotspots', label: 'Hotspots', pages: ['hotspots'] },
  { href: '/recommendations', label: 'Recommendations', pages: ['recommendations'] },
]

/** The entry a page is under (marked as current in the header); `null` for a page not found. */
export function currentNavItem(page: Route['page']): NavItem | null {
  return NAV_ITEMS.find((item) => item.pages.includes(page)) ?? null
}
