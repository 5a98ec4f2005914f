import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium'
import { ingestExploreBatches } from './support/explore-spans'
import { ARTIFACTS, checkThemes, downloadCsv, watchConsole } from './support/page-checks'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { utcDay } from './support/utc-day'

const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')

/**
 * Every page of the dashboard, with the panels it shows and the API paths they read: each page
 * renders with data, reads well in both themes, and tells loading, empty and error per panel.
 */
interface PageCase {
  name: string
  path: string
  /** `data-testid` of each panel, with the text it shows when it has nothing. */
  panels: Record<string, string | null>
  /** API paths (exact) the page's panels load from, to make fail or hold. */
  apis: string[]
}

// The data is recent (the range presets of the keyboard suite must find it), so every
// expectation that names a UTC day is worked out from the data's own instants, never from the
// date the suite runs on: a run shortly after midnight has tasks on two days.
const now = new Date()
const iso = (millis: number) => encodeURIComponent(new Date(millis).toISOString())
const WINDOW_FROM = now.getTime() - 2 * 3_600_000
const WINDOW_TO = now.getTime() + 600_000
const WINDOW = `from=${iso(WINDOW_FROM)}&to=${iso(WINDOW_TO)}`
/** The UTC days with tasks in WINDOW, oldest first: the Overview links each (set in beforeAll). */
let windowDays: string[]
// A window before any data: every panel has nothing to show.
const EMPTY_WINDOW = `from=${iso(Date.UTC(2020, 0, 1))}&to=${iso(Date.UTC(2020, 0, 2))}`

const PAGES: PageCase[] = [
  {
    name: 'overview',
    path: '/overview',
    panels: {
      // The headline figures of an empty range are measured zeros ($0.00, 0 tasks), not a gap.
      'overview-stats': null,
      'tasks-per-day': 'No tasks in this range.',
      'top-task-types': 'No tasks in this range.',
      'top-models': 'No model calls in this range.',
      // Also checked over a range with spans but no repeated work (below).
      'biggest-hotspot': 'No repeated work found in this range.',
      'biggest-recommendation': 'No recommendation for this range.',
    },
    apis: ['/api/v1/overview', '/api/v1/hotspots', '/api/v1/recommendations'],
  },
  {
    name: 'cost-per-task',
    path: '/',
    panels: {
      'cost-summary': null,
      'cost-per-task-chart': 'No priced spend in this range.',
      'cost-distribution': 'No tasks in this range.',
      'task-list': 'No tasks in this range.',
      unpriced: null,
    },
    apis: ['/api/v1/costs', '/api/v1/tasks', '/api/v1/unpriced'],
  },
  {
    name: 'showback',
    path: '/showback',
    panels: { showback: 'No spend in this range.', 'dimension-mapping': null },
    apis: ['/api/v1/showback', '/api/v1/settings/dimensions'],
  },
  {
    name: 'regressions',
    path: '/regressions',
    panels: { regressions: 'No tasks in this range.' },
    apis: ['/api/v1/regressions'],
  },
  {
    name: 'alerts',
    path: '/alerts',
    panels: {
      'alert-rules':
        'No alert rules yet. Create one with POST /api/v1/alert-rules or pnpm agentmeter alerts create.',
      'alert-events': 'No alert has fired yet.',
    },
    apis: ['/api/v1/alert-rules', '/api/v1/alert-events'],
  },
  {
    name: 'prices',
    path: '/prices',
    panels: { 'price-book': 'No custom prices: every call is priced from the catalog.' },
    apis: ['/api/v1/prices'],
  },
  {
    name: 'task-detail',
    path: '/tasks/ee05',
    // A failed load is told once, by the totals panel (the spans panel is not shown then).
    panels: { 'task-totals': null },
    apis: ['/api/v1/tasks/ee05'],
  },
]

let collector: TestCollector
let browser: Browser
let context: BrowserContext
let page: Page
const consoleErrors: string[] = []
const failedOnPurpose = new Set<string>()

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  collector = await createTestCollector({ dashboardDir: DASHBOARD_DIR })
  const batches = await ingestExploreBatches(collector.url, collector.apiKey, now)
  const starts = batches.flatMap((batch) => Object.values(batch.starts).map((at) => at.getTime()))
  const inWindow = starts.filter((at) => at >= WINDOW_FROM && at <= WINDOW_TO)
  windowDays = [...new Set(inWindow.map(utcDay))].sort()
  browser = await launchChromium()
  // bypassCSP: the collector's CSP forbids inline scripts, and axe is injected as one.
  context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  })
  page = await context.newPage()
  watchConsole(page, consoleErrors, (url) => failedOnPurpose.has(new URL(url).pathname))
  await page.goto(`${collector.url}/overview#key=${collector.apiKey}`)
  await page.locator('[data-testid="overview-stats"][data-state="ready"]').waitFor()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await collector?.close()
})

function url(target: PageCase, query: string): string {
  return `${collector.url}${target.path}${target.path.startsWith('/tasks/') ? '' : `?${query}`}`
}

function panel(testId: string) {
  return page.getByTestId(testId)
}

async function settled(testIds: string[]) {
  for (const testId of testIds) {
    await page.locator(`[data-testid="${testId}"]:not([data-state="loading"])`).waitFor()
  }
}

/** Routes the page's API paths through `handle` for the duration of `run`. */
async function withRoutes(
  paths: string[],
  handle: (route: Route) => Promise<void>,
  run: () => Promise<void>,
) {
  const matches = (address: URL) => paths.includes(address.pathname)
  await page.route(matches, handle)
  try {
    await run()
  } finally {
    await page.unroute(matches, handle)
  }
}

describe('every page with demo data', () => {
  for (const target of PAGES) {
    it(`should render ${target.name} with data, readable in light and dark (axe)`, async () => {
      await page.goto(url(target, WINDOW))
      await settled(Object.keys(target.panels))
      for (const testId of Object.keys(target.panels)) {
        expect(await panel(testId).getAttribute('data-state'), testId).not.toBe('error')
      }
      expect(await checkThemes(page, `states-${target.name}`)).toEqual({ light: [], dark: [] })
    })
  }
})

// Loosely typed API answers: each assertion pins the exact value it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

describe('CSV exports hold exactly the rows shown', () => {
  it('should export the task list as shown, in its order', async () => {
    await page.goto(url(PAGES[1]!, WINDOW))
    await settled(['task-list'])
    const ids = await page
      .getByTestId('task-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task-id')))
    const costs = await page.getByTestId('task-cost').allTextContents()
    const csv = await downloadCsv(page, 'Tasks')
    expect(csv[0]![0]).toBe('task_id')
    // The 4 tasks of the last 2 hours, newest first.
    expect(ids).toEqual(['ee06', 'ee05', 'ee04', 'ee03'])
    expect(csv.slice(1).map((row) => row[0])).toEqual(ids)
    expect(csv.slice(1).map((row) => row[7])).toEqual(costs)
  })

  it('should export the regressions shown, with the exact API figures', async () => {
    await page.goto(url(PAGES[3]!, WINDOW))
    await settled(['regressions'])
    const shown = await page
      .getByTestId('regression-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task-name')))
    const { body } = await collector.api<Json>(`/api/v1/regressions?${WINDOW}`)
    const csv = await downloadCsv(page, 'Cost per task against the previous period')
    expect(csv.slice(1).map((row) => row[0])).toEqual(shown)
    expect(csv.slice(1).map((row) => [row[0], row[4]])).toEqual(
      body.rows.map((row: Json) => [row.taskName, String(row.costPerTaskUsd)]),
    )
  })
})

describe('loading, empty and error states of every panel', () => {
  for (const target of PAGES) {
    it(`should show each ${target.name} panel as loading while its request is held`, async () => {
      let release!: () => void
      const held = new Promise<void>((resolve) => (release = resolve))
      await withRoutes(
        target.apis,
        async (route) => {
          await held
          await route.continue()
        },
        async () => {
          await page.goto(url(target, WINDOW))
          for (const testId of Object.keys(target.panels)) {
            const loading = page.locator(`[data-testid="${testId}"][data-state="loading"]`)
            await loading.waitFor()
            expect(await loading.getAttribute('aria-busy'), testId).toBe('true')
            expect(await loading.getByRole('status').textContent(), testId).toBe('Loading…')
          }
          release()
          await settled(Object.keys(target.panels))
        },
      )
    })

    it(`should show each ${target.name} panel's error, and recover on Retry`, async () => {
      for (const api of target.apis) failedOnPurpose.add(api)
      await withRoutes(
        target.apis,
        (route) =>
          route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({
              error: `injected failure of ${new URL(route.request().url()).pathname}`,
            }),
          }),
        async () => {
          await page.goto(url(target, WINDOW))
          await settled(Object.keys(target.panels))
          for (const testId of Object.keys(target.panels)) {
            expect(await panel(testId).getAttribute('data-state'), testId).toBe('error')
            const alert = panel(testId).getByRole('alert')
            expect(await alert.locator('p').textContent(), testId).toMatch(
              /^Could not load this panel: injected failure of \/api\/v1\/[a-z0-9/-]+$/,
            )
          }
        },
      )
      // The API answers again: Retry (from the keyboard) loads the panel without a reload.
      const first = Object.keys(target.panels)[0]!
      await panel(first).getByRole('button', { name: 'Retry' }).focus()
      await page.keyboard.press('Enter')
      await page
        .locator(`[data-testid="${first}"]:is([data-state="ready"], [data-state="empty"])`)
        .waitFor()
    })
  }

  it('should name the failed request in the error text', async () => {
    failedOnPurpose.add('/api/v1/regressions')
    await withRoutes(
      ['/api/v1/regressions'],
      (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: 'storage is not reachable' }),
        }),
      async () => {
        await page.goto(url(PAGES[3]!, WINDOW))
        await settled(['regressions'])
        expect(await panel('regressions').getByRole('alert').locator('p').textContent()).toBe(
          'Could not load this panel: storage is not reachable',
        )
      },
    )
  })

  for (const target of PAGES.filter((candidate) => candidate.name !== 'task-detail')) {
    it(`should show each ${target.name} panel's empty text for a range without data`, async () => {
      await page.goto(url(target, EMPTY_WINDOW))
      await settled(Object.keys(target.panels))
      for (const [testId, text] of Object.entries(target.panels)) {
        if (text === null) continue
        expect(await panel(testId).getAttribute('data-state'), testId).toBe('empty')
        expect(await panel(testId).locator('.panel-status').textContent(), testId).toBe(text)
      }
    })
  }

  it('should show the hotspot panel empty for a range with spans but no repeated work', async () => {
    await page.goto(url(PAGES[0]!, WINDOW))
    await settled(['biggest-hotspot'])
    expect(await panel('biggest-hotspot').getAttribute('data-state')).toBe('empty')
    expect(await panel('biggest-hotspot').locator('.panel-status').textContent()).toBe(
      'No repeated work found in this range.',
    )
  })

  it('should show the measured zeros of an empty range, not blanks', async () => {
    await page.goto(url(PAGES[0]!, EMPTY_WINDOW))
    await settled(['overview-stats'])
    const value = (id: string) =>
      page.getByTestId(`stat-${id}`).getByTestId('stat-value').textContent()
    expect(await value('cost-per-task')).toBe('—')
    expect(await value('cost-per-success')).toBe('—')
    await page.goto(url(PAGES[1]!, EMPTY_WINDOW))
    await settled(['unpriced'])
    expect(await page.getByTestId('unpriced-summary').textContent()).toBe(
      'No model calls in this range.',
    )
  })

  it('should tell an unknown task apart from a failure', async () => {
    failedOnPurpose.add('/api/v1/tasks/no-such-task')
    await page.goto(`${collector.url}/tasks/no-such-task`)
    await settled(['task-totals'])
    expect(await panel('task-totals').getByRole('alert').locator('p').textContent()).toBe(
      'Could not load this panel: There is no task "no-such-task" in this project.',
    )
  })

  it('should log no console errors besides the failures made on purpose', () => {
    expect(consoleErrors).toEqual([])
  })
})

/** The focused element's role and accessible name, as its ARIA snapshot gives them. */
async function focusedName(target: Page): Promise<string> {
  const inBody = await target.evaluate(() => {
    document.querySelector('[data-focused]')?.removeAttribute('data-focused')
    const active = document.activeElement
    if (active === null || active === document.body) return false
    active.setAttribute('data-focused', '')
    return true
  })
  if (!inBody) return '(nothing)'
  const snapshot = await target.locator('[data-focused]').ariaSnapshot({ timeout: 2000 })
  const [, role, name] = /(\w+)(?: "([^"]*)")?/.exec(snapshot.split('\n')[0]!.replace(/^- /, ''))!
  return name === undefined ? `${role} (no name)` : `${role} "${name}"`
}

/** Tabs through the page from its top until focus leaves it, naming each stop. */
async function tabStops(target: Page): Promise<Array<{ name: string; outline: string }>> {
  await target.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  const stops: Array<{ name: string; outline: string }> = []
  for (let i = 0; i < 200; i++) {
    await target.keyboard.press('Tab')
    const name = await focusedName(target)
    if (name === '(nothing)') return stops
    const outline = await target.evaluate(() => {
      const style = getComputedStyle(document.activeElement!)
      return `${style.outlineStyle} ${style.outlineWidth}`
    })
    stops.push({ name, outline })
  }
  throw new Error('focus never left the page after 200 tabs')
}

describe('keyboard', () => {
  it('should reach every control of the Overview in order, each named and visibly focused', async () => {
    await page.goto(url(PAGES[0]!, WINDOW))
    await settled(Object.keys(PAGES[0]!.panels))
    const stops = await tabStops(page)
    expect(stops.map((stop) => stop.name)).toEqual([
      'link "agentmeter"',
      'link "Overview"',
      'link "Cost per task"',
      'link "Showback"',
      'link "Regressions"',
      'link "Alerts"',
      'link "Prices"',
      'link "Hotspots"',
      'link "Recommendations"',
      'button "Theme: System theme. Switch to Light theme"',
      'button "Sign out"',
      'combobox "Time range"',
      'combobox "Task name"',
      'textbox "Environment"',
      'textbox "Service"',
      'textbox "Step"',
      'textbox "Model"',
      'textbox "Provider"',
      'textbox "Tag (key=value)"',
      'button "Apply"',
      'button "Clear"',
      'application "Tasks per UTC day"',
      ...windowDays.map((day) => `link "${day}"`),
      'button "Export CSV of Tasks per day"',
      'link "triage"',
      'link "report"',
      'link "mystery"',
      'button "Export CSV of Top task types"',
      'link "gpt-4o"',
      'link "gpt-4o-mini"',
      'link "acme-9000"',
      'button "Export CSV of Top models"',
    ])
    // The focus ring of every stop: theme.css draws `:focus-visible` as a 2px solid outline.
    expect(new Set(stops.map((stop) => stop.outline))).toEqual(new Set(['solid 2px']))
    // Nothing operable is left out of the tab order.
    // (The phone's Menu button is not shown on a desktop, so it is no control there.)
    const controls = await page
      .locator('a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]')
      .filter({ visible: true })
      .count()
    expect(controls).toBe(stops.length)
  })

  it('should operate the range select, the theme toggle and an export from the keyboard', async () => {
    await page.goto(url(PAGES[0]!, WINDOW))
    await settled(['overview-stats'])
    await page.getByLabel('Time range').focus()
    // The custom window is the first option; the next one is the first preset.
    await page.keyboard.press('ArrowDown')
    await page.waitForURL(/range=1h/)
    expect(new URL(page.url()).searchParams.get('from')).toBeNull()

    const toggle = page.getByTestId('theme-toggle')
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme ?? 'system')
    await toggle.focus()
    await page.keyboard.press('Space')
    expect(await theme()).toBe('light')
    await page.keyboard.press('Enter')
    expect(await theme()).toBe('dark')
    await page.keyboard.press('Space')
    expect(await theme()).toBe('system')

    await settled(['top-task-types'])
    await page.getByRole('button', { name: 'Export CSV of Top task types' }).focus()
    // The file is named after the UTC date of the click: read the clock on both sides of it.
    const before = utcDay(Date.now())
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ])
    const after = utcDay(Date.now())
    expect([before, after].map((day) => `agentmeter-top-task-types-${day}.csv`)).toContain(
      download.suggestedFilename(),
    )
  })
})
