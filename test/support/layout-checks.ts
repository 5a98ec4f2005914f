import type { Page } from 'playwright-core'

/** How far a page runs past the window: the page's own horizontal scroll, and what sticks out. */
export interface Overflow {
  /** `scrollWidth - clientWidth` of the document: above 0, the whole page scrolls sideways. */
  pageScroll: number
  /**
   * Visible elements that reach past the window's edges outside any box of their own that
   * scrolls sideways (a wide table in its scroll box is fine), as `tag.class[testid] left..right`.
   */
  outside: string[]
}

/** Measures what a person at this window width cannot see without scrolling the page sideways. */
export function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const inScrollBox = (element: Element): boolean => {
      for (let node = element.parentElement; node !== null; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX
        if (overflow === 'auto' || overflow === 'scroll') return true
      }
      return false
    }
    const outside: string[] = []
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      if ((box.right > width + 0.5 || box.left < -0.5) && !inScrollBox(element)) {
        const classes = [...element.classList].join('.')
        const testId = element.getAttribute('data-testid') ?? ''
        outside.push(
          `${element.tagName.toLowerCase()}.${classes}[${testId}] ${Math.round(box.left)}..${Math.round(box.right)}`,
        )
      }
    }
    return { pageScroll: document.documentElement.scrollWidth - width, outside }
  })
}

/**
 * Every table of the page whose cells a person cannot reach, with why, as `testid: problem`.
 * A table is fine when it fits its container, or when the container scrolls sideways (with a
 * visible hint that there is more) and, scrolled to its end, shows the last column: its header,
 * and the last cell of the first row (tables that stack their rows on a phone hide the header
 * row and show each cell on a line of its own). "Shows" is a hit test at the cell's centre, so
 * an ancestor that clips the container (overflow hidden, or a box narrower than its content)
 * fails it. Folded groups (`details`) are opened first. Tables in tooltips and charts are left
 * out: they are not page content.
 */
export function unreachableTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = []
    // Folded groups are a click away: open them, their tables must be reachable too.
    for (const details of document.querySelectorAll('main details')) {
      ;(details as HTMLDetailsElement).open = true
    }
    const tables = [...document.querySelectorAll<HTMLTableElement>('main table')].filter(
      (table) =>
        table.closest('.recharts-wrapper, [role="tooltip"]') === null &&
        table.getBoundingClientRect().width > 0,
    )
    for (const table of tables) {
      const name =
        table.closest('[data-testid]')?.getAttribute('data-testid') ??
        table.getAttribute('aria-label') ??
        'table'
      const container = table.parentElement!
      const overflowX = getComputedStyle(container).overflowX
      const scrolls = overflowX === 'auto' || overflowX === 'scroll'
      const fits = table.scrollWidth <= container.clientWidth
      if (!fits && !scrolls) {
        problems.push(`${name}: ${table.scrollWidth} px wide in a ${container.clientWidth} px box`)
        continue
      }
      if (!fits && getComputedStyle(container).backgroundImage === 'none') {
        problems.push(`${name}: scrolls sideways without a hint that it does`)
      }
      container.scrollLeft = container.scrollWidth
      const headerRow = table.querySelector('thead tr')
      // A stacked table hides its header row in a 1 px box (its cells keep their size).
      const headerShown = table.tHead !== null && table.tHead.getBoundingClientRect().height > 1
      const cells = [
        headerShown ? (headerRow?.lastElementChild ?? null) : null,
        table.querySelector('tbody tr')?.lastElementChild ?? null,
      ].filter((cell): cell is Element => cell !== null)
      for (const cell of cells) {
        const before = cell.getBoundingClientRect()
        window.scrollTo(window.scrollX, window.scrollY + before.top - window.innerHeight / 2)
        const box = cell.getBoundingClientRect()
        const x = Math.min(box.left + box.width / 2, box.right - 1)
        const y = box.top + Math.min(box.height / 2, 8)
        const hit = document.elementFromPoint(x, y)
        const label = `${name}: "${(cell.textContent ?? '').trim().slice(0, 30)}"`
        if (box.left < -0.5 || box.right > document.documentElement.clientWidth + 0.5) {
          problems.push(`${label} at ${Math.round(box.left)}..${Math.round(box.right)} px`)
        } else if (hit === null || !cell.contains(hit)) {
          const by =
            hit === null
              ? 'nothing'
              : `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}`
          problems.push(`${label} is covered or clipped (${by} at its centre)`)
        }
      }
      container.scrollLeft = 0
    }
    return problems
  })
}
