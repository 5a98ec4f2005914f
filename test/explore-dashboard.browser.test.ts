import fs from 'node:fs'
import path from 'node:path'
import { runDemo } from '@agentmeter/demo'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_FILTERS } from '../apps/dashboard/src/prepare/filters'
import { formatUsd } from '../apps/dashboard/src/prepare/format-money'
import { seriousAxeViolations } from './support/axe'
import { launchChromium } from './support/chromium'
import { checkThemes, downloadCsv } from './support/page-checks'
import { EXPLORE_COSTS, ingestExploreBatches } from './support/explore-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')
const ARTIFACTS = path.resolve(import.meta.dirname, '../test-results')

// Loosely typed API answers: each assertion pins the exact value it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

/** The hotspots the page ranks: those that cost money. */
function costingMoney(hotspots: Json[]): Json[] {
  return hotspots.filter((hotspot) => hotspot.wastedUsd > 0)
}

let collector: TestCollector
let browser: Browser
let context: BrowserContext
let page: Page
const consoleErrors: string[] = []
const now = new Date()
// An absolute window around the data: the same numbers whenever the test runs.
const from = new Date(now.getTime() - 2 * 3_600_000).toISOString()
const to = new Date(now.getTime() + 10 * 60_000).toISOString()
const WINDOW = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
/** The UTC month of the report task's start (set once the data is in). */
let reportMonth: string
// Wide enough for the release 1.0 tasks of 3 hours ago.
const WIDE = `from=${encodeURIComponent(new Date(now.getTime() - 4 * 3_600_000).toISOString())}&to=${encodeURIComponent(to)}`

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  collector = await createTestCollector({ dashboardDir: DASHBOARD_DIR })
  const batches = await ingestExploreBatches(collector.url, collector.apiKey, now)
  reportMonth = batches
    .flatMap((batch) => Object.entries(batch.starts))
    .find(([id]) => id === 'ee05')![1]
    .toISOString()
    .slice(0, 7)
  await runDemo({ endpoint: collector.url, apiKey: collector.apiKey, tasks: 6, seed: 5 })
  browser = await launchChromium()
  // bypassCSP: the collector's CSP forbids inline scripts, and axe is injected as one.
  context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  })
  page = await context.newPage()
  watch(page)
  await page.goto(`${collector.url}/overview#key=${collector.apiKey}`)
  await page.locator('[data-testid="overview-stats"][data-state="ready"]').waitFor()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await collector?.close()
})

function watch(target: Page) {
  target.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  target.on('pageerror', (err) => consoleErrors.push(err.message))
}

/** Panels load through the embedded ClickHouse on a shared machine: poll generously. */
function poll<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 })
}

async function ready(target: Page, testId: string) {
  await target.locator(`[data-testid="${testId}"]:not([data-state="loading"])`).first().waitFor()
}

async function statValue(target: Page, id: string) {
  return target.getByTestId(`stat-${id}`).getByTestId('stat-value').textContent()
}

/** Screenshots in both themes, and axe finds nothing serious in either. */
async function screenshots(target: Page, name: string) {
  expect(await checkThemes(target, `explore-${name}`)).toEqual({ light: [], dark: [] })
}

async function applyFilter(target: Page, label: string, value: string) {
  await target.getByLabel(label, { exact: true }).fill(value)
  await target.getByRole('button', { name: 'Apply' }).click()
}

describe('Overview page', () => {
  it('should show the API figures, the forecast method and the not-available recommendation', async () => {
    await page.goto(`${collector.url}/overview?${WINDOW}`)
    await ready(page, 'overview-stats')
    const { body } = await collector.api<Json>(`/api/v1/overview?${WINDOW}`)
    // 6 demo tasks and the 4 Explore tasks of the last 2 hours.
    expect(body.tasks).toBe(10)
    expect(await statValue(page, 'today')).toBe(formatUsd(body.todayUsd))
    expect(await statValue(page, 'month')).toBe(formatUsd(body.monthToDateUsd))
    expect(await statValue(page, 'cost-per-task')).toBe(formatUsd(body.costPerTaskUsd))
    expect(await statValue(page, 'cost-per-success')).toBe(formatUsd(body.costPerSuccessfulTaskUsd))
    // Both per-task figures count the tasks with a known spend, and say which they leave out.
    expect(body.costPerSuccessfulTaskUsd).toBeGreaterThanOrEqual(body.costPerTaskUsd)
    const leftOut = (n: number) => (n > 0 ? `; ${n} without any price left out` : '')
    expect(await page.getByTestId('stat-cost-per-task').locator('.stat-detail').textContent()).toBe(
      `${body.tasks} tasks${leftOut(body.unpricedOnlyTasks)}`,
    )
    expect(
      await page.getByTestId('stat-cost-per-success').locator('.stat-detail').textContent(),
    ).toBe(`${body.successfulTasks} succeeded${leftOut(body.unpricedOnlySuccessfulTasks)}`)
    expect(await page.getByTestId('stat-forecast').textContent()).toContain(body.forecast.method)
    const shown = await page
      .getByTestId('task-types-table')
      .getByTestId('row-cost')
      .allTextContents()
    expect(shown).toEqual(body.topTaskTypes.map((row: Json) => formatUsd(row.costUsd)))
    await ready(page, 'biggest-recommendation')
    const recommendations = await collector.api<Json>(`/api/v1/recommendations?${WINDOW}`)
    const issued = recommendations.body.recommendations
      .filter((row: Json) => row.status === 'recommended')
      .sort((a: Json, b: Json) => b.monthlySavingsUsd - a.monthlySavingsUsd)
    const card = await page.getByTestId('biggest-recommendation').textContent()
    if (issued.length === 0) expect(card).toContain('No recommendation for this range.')
    else {
      const top = issued[0]
      expect(card).toContain(`from ${top.currentModel} to ${top.suggestedModel}`)
      expect(card).toContain(`save ${formatUsd(top.monthlySavingsUsd)} a month`)
      expect(card).toContain(`(${top.evidence} evidence)`)
    }
    await ready(page, 'biggest-hotspot')
    await screenshots(page, 'overview')
  })

  it('should read unpriced, never $0.00, for a task type and a model nothing could be priced of', async () => {
    await page.goto(`${collector.url}/overview?${WINDOW}&name=mystery`)
    await ready(page, 'top-task-types')
    await ready(page, 'top-models')
    const { body } = await collector.api<Json>(`/api/v1/overview?${WINDOW}&name=mystery`)
    // The mystery task's only call is of a model nobody prices: its spend is unknown, not $0.
    expect(body.topTaskTypes.find((row: Json) => row.name === 'mystery')).toMatchObject({
      costUsd: null,
      unpricedCalls: 1,
    })
    const costOfRow = (table: string, name: string) =>
      page.getByTestId(`${table}-row`).filter({ hasText: name }).getByTestId('row-cost')
    expect(await costOfRow('task-types-table', 'mystery').textContent()).toBe('unpriced')
    expect(body.topModels.find((row: Json) => row.model === 'acme-9000')).toMatchObject({
      costUsd: null,
      unpricedCalls: 1,
    })
    expect(await costOfRow('models-table', 'acme-9000').textContent()).toBe('unpriced')
    expect(await statValue(page, 'cost-per-task')).toBe('—')
    // Back to the unfiltered window the next test filters from.
    await page.goto(`${collector.url}/overview?${WINDOW}`)
    await ready(page, 'overview-stats')
  })

  it('should change the numbers with a filter, keep it in the URL and reproduce it there', async () => {
    await applyFilter(page, 'Service', 'svc-b')
    await page.waitForURL(/service=svc-b/)
    await ready(page, 'overview-stats')
    const { body } = await collector.api<Json>(`/api/v1/overview?${WINDOW}&service=svc-b`)
    expect(body.costUsd).toBe(EXPLORE_COSTS.report)
    await poll(() => statValue(page, 'cost-per-task')).toBe(formatUsd(body.costPerTaskUsd))

    const shared = await context.newPage()
    watch(shared)
    await shared.goto(page.url())
    await ready(shared, 'overview-stats')
    expect(await statValue(shared, 'cost-per-task')).toBe(formatUsd(body.costPerTaskUsd))
    expect(await shared.getByLabel('Service', { exact: true }).inputValue()).toBe('svc-b')
    await shared.close()
  })

  it('should export the rows shown as CSV and drill down from a chart bar to its tasks', async () => {
    await page.goto(`${collector.url}/overview?${WINDOW}`)
    await ready(page, 'top-task-types')
    const rows = await page.getByTestId('task-types-table-row').all()
    const shown = await Promise.all(
      rows.map(async (row) =>
        (await row.locator('th, td').allTextContents()).map((text) => text.trim()),
      ),
    )
    expect(await downloadCsv(page, 'Top task types')).toEqual([
      ['Task type', 'Tasks', 'Spend'],
      ...shown,
    ])

    await page.locator('[data-testid="tasks-per-day-chart"] .recharts-bar-rectangle').last().click()
    await page.waitForURL(/\/\?.*from=/)
    const url = new URL(page.url())
    const { body } = await collector.api<{ tasks: unknown[] }>(
      `/api/v1/tasks?from=${encodeURIComponent(url.searchParams.get('from')!)}&to=${encodeURIComponent(url.searchParams.get('to')!)}`,
    )
    await poll(() => page.getByTestId('task-row').count()).toBe(body.tasks.length)
  })

  it('should take text typed but not applied along when the time range changes', async () => {
    await page.goto(`${collector.url}/overview`)
    await ready(page, 'overview-stats')
    await page.getByLabel('Task name', { exact: true }).fill('triage')
    await page.getByLabel('Service', { exact: true }).fill('svc-a')
    await page.getByLabel('Time range').selectOption('30d')
    await page.waitForURL(/range=30d/)
    const url = new URL(page.url())
    expect([url.searchParams.get('name'), url.searchParams.get('service')]).toEqual([
      'triage',
      'svc-a',
    ])
    expect(await page.getByLabel('Task name', { exact: true }).inputValue()).toBe('triage')

    // A tag without `=` holds the range back, as Apply does, and keeps what was typed.
    await page.getByLabel('Tag (key=value)', { exact: true }).fill('team')
    await page.getByLabel('Time range').selectOption('24h')
    expect(new URL(page.url()).searchParams.get('range')).toBe('30d')
    expect(await page.getByLabel('Tag (key=value)', { exact: true }).inputValue()).toBe('team')
  })
})

describe('Showback page', () => {
  it('should map team to a resource attribute and show spend per team as the API does', async () => {
    await page.goto(`${collector.url}/showback?${WINDOW}&by=team`)
    await ready(page, 'dimension-mapping')
    await page.getByRole('group', { name: 'Team' }).getByLabel('Attribute key').fill('team')
    await page.getByRole('group', { name: 'Team' }).getByLabel('Read from').selectOption('resource')
    await page.getByRole('button', { name: 'Save mapping' }).click()
    await page.getByText('Saved.').waitFor()
    // The page reloads its rows after the save; on a loaded machine that takes seconds.
    await poll(() => page.locator('[data-testid="showback-row"][data-key="support"]').count()).toBe(
      1,
    )
    const { body } = await collector.api<Json>(`/api/v1/showback?${WINDOW}&groupBy=team`)
    const byKey = Object.fromEntries(body.rows.map((row: Json) => [row.key, row.costUsd]))
    expect(byKey.support).toBe(EXPLORE_COSTS.currentTriage)
    expect(byKey.research).toBe(EXPLORE_COSTS.report)
    expect(Object.keys(byKey).sort()).toEqual(['', 'research', 'support'])
    await poll(() => page.getByTestId('showback-cost').allTextContents()).toEqual(
      body.rows.map((row: Json) => formatUsd(row.costUsd)),
    )
    await screenshots(page, 'showback')
  })

  it('should filter by environment, reproduce from the URL and export the monthly report', async () => {
    await applyFilter(page, 'Environment', 'staging')
    await page.waitForURL(/environment=staging/)
    await poll(() => page.getByTestId('showback-row').count()).toBe(1)
    expect(await page.getByTestId('showback-cost').allTextContents()).toEqual([
      formatUsd(EXPLORE_COSTS.report),
    ])
    const shared = await context.newPage()
    watch(shared)
    await shared.goto(page.url())
    await poll(() => shared.getByTestId('showback-row').count()).toBe(1)
    expect(new URL(shared.url()).searchParams.get('by')).toBe('team')
    await shared.close()

    await page.getByLabel('Monthly report (one row per month of the range)').check()
    await page.waitForURL(/report=month/)
    await expect
      .poll(() => page.locator('[data-testid="showback"] th', { hasText: 'Month' }).count())
      .toBe(1)
    const csv = await downloadCsv(page, 'Monthly report by team')
    expect(csv).toEqual([
      ['month', 'team', 'cost_usd', 'tasks', 'share', 'unpriced_calls'],
      // The month of the report task itself: not the month the suite runs in, which differs
      // in the first minutes of a month.
      [reportMonth, 'research', String(EXPLORE_COSTS.report), '1', '1', '0'],
    ])

    await page.getByRole('link', { name: 'research' }).click()
    await page.waitForURL(/tag=team%3Dresearch/)
    await poll(() => page.getByTestId('task-row').count()).toBe(1)
  })
})

describe('Regressions page', () => {
  it('should show the change per task type with its parts, as the API computes them', async () => {
    await page.goto(`${collector.url}/regressions?${WINDOW}`)
    await ready(page, 'regressions')
    const triage = page.locator('[data-testid="regression-row"][data-task-name="triage"]')
    expect(await triage.getByTestId('regression-change').textContent()).toBe('+$0.0050')
    expect(await triage.getByTestId('part-callsPerTask').textContent()).toBe(
      'More calls per task: +$0.0038',
    )
    expect(await triage.getByTestId('part-promptLength').textContent()).toBe(
      'Longer prompts: +$0.0013',
    )
    expect(await page.getByTestId('regressions-method').textContent()).toContain(
      'Chained substitution',
    )
    const csv = await downloadCsv(page, 'Cost per task against the previous period')
    expect(csv.length - 1).toBe(await page.getByTestId('regression-row').count())
    expect(csv.find((row) => row[0] === 'triage')?.slice(0, 3)).toEqual([
      'triage',
      'current',
      'previous',
    ])
    await screenshots(page, 'regressions')
  })

  it('should compare releases and keep the choice and filters in a shared URL', async () => {
    await page.goto(`${collector.url}/regressions?${WIDE}`)
    await ready(page, 'regressions')
    await page.getByLabel('Compare').selectOption('version')
    await page.waitForURL(/compare=version/)
    await applyFilter(page, 'Task name', 'triage')
    await page.waitForURL(/name=triage/)
    await poll(() => page.getByTestId('regression-row').count()).toBe(2)
    const shared = await context.newPage()
    watch(shared)
    await shared.goto(page.url())
    await poll(() => shared.getByTestId('regression-row').count()).toBe(2)
    expect(
      await shared
        .locator('[data-testid="regression-row"]', { hasText: '1.0 → 1.1' })
        .getByTestId('regression-change')
        .textContent(),
    ).toBe('+$0.0050')
    await shared.close()
  })
})

describe('Hotspots page', () => {
  it('should take its time range from the URL and export the hotspots shown', async () => {
    await page.goto(`${collector.url}/hotspots`)
    await ready(page, 'hotspots-panel')
    // Without a range in the URL: the default range of every page.
    expect(await page.getByLabel('Time range').inputValue()).toBe(DEFAULT_FILTERS.range)
    await page.getByLabel('Time range').selectOption('1h')
    await page.waitForURL(/range=1h/)
    await page.getByRole('heading', { name: 'Repeated work, last hour' }).waitFor()
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString()
    const { body } = await collector.api<Json>(
      `/api/v1/hotspots?from=${encodeURIComponent(hourAgo)}&to=${encodeURIComponent(new Date().toISOString())}`,
    )
    // The page ranks what cost money (the demo's free repeated lookups are named apart).
    const ranked = costingMoney(body.hotspots)
    await poll(() => page.getByTestId('hotspot-row').count()).toBe(ranked.length)
    const csv = await downloadCsv(page, 'Hotspots')
    expect(csv.length - 1).toBe(ranked.length)
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('should send the filter bar to the API and show the rows it returns for the filter', async () => {
    await page.goto(`${collector.url}/hotspots?${WINDOW}`)
    await ready(page, 'hotspots-panel')
    const all = (await collector.api<Json>(`/api/v1/hotspots?${WINDOW}`)).body
    await poll(() => page.getByTestId('hotspot-row').count()).toBe(
      costingMoney(all.hotspots).length,
    )
    // A task name whose hotspots are not all of them, so the filter must change the rows.
    const names: string[] = [
      ...new Set<string>(all.hotspots.map((hotspot: Json) => String(hotspot.taskName))),
    ]
    expect(names.length).toBeGreaterThan(1)
    const name = names[0]!
    await applyFilter(page, 'Task name', name)
    await page.waitForURL(new RegExp(`name=${encodeURIComponent(name)}`))
    const { body } = await collector.api<Json>(
      `/api/v1/hotspots?${WINDOW}&name=${encodeURIComponent(name)}`,
    )
    expect(body.hotspots.length).toBeGreaterThan(0)
    expect(body.hotspots.length).toBeLessThan(all.hotspots.length)
    expect(body.hotspots.every((hotspot: Json) => hotspot.taskName === name)).toBe(true)
    await poll(() => page.getByTestId('hotspot-row').count()).toBe(
      costingMoney(body.hotspots).length,
    )
    expect(await page.getByTestId('hotspot-wasted').allTextContents()).toEqual(
      costingMoney(body.hotspots).map((hotspot: Json) => formatUsd(hotspot.wastedUsd)),
    )
    expect(await page.getByTestId('hotspots-total').textContent()).toContain(
      formatUsd(body.totalWastedUsd),
    )
  })
})

describe('cost-per-task page with Explore filters', () => {
  it('should list only the tasks the filters select, and open a task from there', async () => {
    await page.goto(`${collector.url}/?${WINDOW}&model=gpt-4o-mini&step=summarize`)
    await poll(() => page.getByTestId('task-row').count()).toBe(1)
    expect(await page.getByTestId('task-cost').textContent()).toBe(formatUsd(EXPLORE_COSTS.report))
    const [csv] = [await downloadCsv(page, 'Tasks')]
    expect(csv.map((row) => row[0])).toEqual(['task_id', 'ee05'])
    await page.locator('[data-testid="task-row"] a').first().click()
    await page.locator('[data-testid="task-detail"][data-state="ready"]').waitFor()
    expect(await page.getByTestId('span-row').count()).toBe(2)
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('should read unpriced, never $0.00, where nothing of a task name could be priced', async () => {
    await page.goto(`${collector.url}/?${WINDOW}&name=mystery`)
    const row = page.locator('[data-testid="distribution-row"][data-task-name="mystery"]')
    await poll(() => row.count()).toBe(1)
    // Tasks, p50, p95, cost per successful task, spend.
    expect(await row.locator('td').allTextContents()).toEqual(['1', '—', '—', '—', 'unpriced'])
    expect(await page.getByTestId('total-spend').textContent()).toBe('unpriced')
  })

  it('should work from the keyboard: type a filter, press Enter, follow a link', async () => {
    await page.goto(`${collector.url}/overview?${WINDOW}`)
    await ready(page, 'top-task-types')
    await page.getByLabel('Task name', { exact: true }).focus()
    await page.keyboard.type('report')
    await page.keyboard.press('Enter')
    await page.waitForURL(/name=report/)
    await poll(() => page.getByTestId('task-types-table-row').count()).toBe(1)
    await page.getByTestId('task-types-table').getByRole('link', { name: 'report' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(
      (url) => url.pathname === '/' && url.searchParams.get('name') === 'report',
    )
    await poll(() => page.getByTestId('task-row').count()).toBe(1)
  })

  it('should switch the theme with the toggle and log no console errors', async () => {
    await page.getByTestId('theme-toggle').click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    await page.getByTestId('theme-toggle').click()
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.screenshot({
      path: path.join(ARTIFACTS, 'explore-task-dark-toggle.png'),
      fullPage: true,
    })
    await page.getByTestId('theme-toggle').click()
    expect(consoleErrors).toEqual([])
  })
})
