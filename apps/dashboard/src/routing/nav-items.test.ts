import { describe, expect, it } from 'vitest'
import { currentNavItem, NAV_ITEMS } from './nav-items'
import { parseRoute } from './route'

describe('currentNavItem', () => {
  it('should mark the entry of every page, a task under the cost-per-task list', () => {
    const paths = ['/overview', '/', '/tasks/t-1', '/showback', '/prices', '/recommendations']
    expect(paths.map((path) => currentNavItem(parseRoute(path).page)?.label)).toEqual([
      'Overview',
      'Cost per task',
      'Cost per task',
      'Showback',
      'Prices',
      'Recommendations',
    ])
  })

  it('should mark nothing on a page not found', () => {
    expect(currentNavItem(parseRoute('/nowhere').page)).toBeNull()
  })

  it('should lead every entry to the page it stands for', () => {
    expect(NAV_ITEMS.every((item) => item.pages.includes(parseRoute(item.href).page))).toBe(true)
  })
})
