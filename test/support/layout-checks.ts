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
