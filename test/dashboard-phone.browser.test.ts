import fs from 'node:fs'
import path from 'node:path'
import { runDemo } from '@agentmeter/demo'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scoreView } from '../apps/dashboard/src/prepare/task-fields'
import { callApi } from './support/alert-spans'
import { launchChromium } from './support/chromium'
import { measureOverflow, unreachableTables } from './support/layout-checks'
import { ARTIFACTS, watchConsole } from './support/page-checks'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

/**
 * What a person sees after `pnpm run up`, on a phone (390 px wide) and on a desktop: every
 * page usable at 390 px (no sideways scroll of the page, nothing past the edge outside a box
 * of its own that scrolls, the navigation behind a Menu button), the charts' legends, and the
 * task page's score and span status in words.
 */
const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')
const PHONE = { width: 390, height: 844 }
const NAV_LABELS = [
  'Overview',
  'Cost per task',
  'Showback',
  'Regressions',
  'Alerts',
  'Prices',
  'Hotspots',
  'Recommendations',
]

interface ApiTask {
  taskId: string
  name: string
  outcome: string
}

interface ApiTaskDetail {
  task: ApiTask & { score: number | null }
  spans: Array<{ spanId: string; status: string; statusMessage: string }>
}

let collector: TestCollector
let receiver: WebhookReceiver
let browser: Browser
let phone: Page
let desktop: Page
const consoleErrors: string[] = []
/** A task of the demo with a failed span, and its detail. */
let failed: ApiTaskDetail

async function settle(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.locator('main .page').first().waitFor()
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-state="loading"], [aria-busy="true"]').length === 0 &&
      document.querySelector('main > .app-status') === null,
  )
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  collector = await createTestCollector({
    dashboardDir: DASHBOARD_DIR,
    // The alert below notifies a receiver on loopback.
    env: { AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1', AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: '100' },
  })
  receiver = await createTestWebhookReceiver()
  // A rule that fires on the demo's reports, so the Alerts page has both of its tables.
  const rule = await callApi(collector, 'POST', '/api/v1/alert-rules', {
    name: 'every research report',
    type: 'task_cost',
    taskName: 'research-report',
    thresholdUsd: 0.000001,
    channel: { type: 'webhook', url: `${receiver.url}/reports` },
  })
  expect(rule.status).toBe(201)
  // A custom price (of a model the demo does not call), so the Prices page has its table.
  const price = await callApi(collector, 'POST', '/api/v1/prices', {
    kind: 'model',
    model: 'house-model',
    inputMtok: '1',
    outputMtok: '2',
  })
  expect(price.status).toBe(201)
  await runDemo({ endpoint: collector.url, apiKey: collector.apiKey, tasks: 16, seed: 1 })
  await receiver.waitFor('/reports', 1)
  const { body } = await collector.api<{ tasks: ApiTask[] }>('/api/v1/tasks')
  for (const task of body.tasks) {
    const detail = await collector.api<ApiTaskDetail>(`/api/v1/tasks/${task.taskId}`)
    if (detail.body.spans.some((span) => span.status === 'error')) {
      failed = detail.body
      break
    }
  }
  browser = await launchChromium()
  phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
  desktop = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  watchConsole(phone, consoleErrors)
  watchConsole(desktop, consoleErrors)
  for (const page of [phone, desktop]) {
    await page.goto(`${collector.url}/#key=${collector.apiKey}`)
    await page.locator('main .page').first().waitFor()
  }
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await collector?.close()
  await receiver?.close()
})

describe('the dashboard on a phone, 390 px wide', () => {
  const pages = [
    ['overview', '/overview'],
    ['costs', '/'],
    ['showback', '/showback'],
    ['regressions', '/regressions'],
    ['alerts', '/alerts'],
    ['prices', '/prices'],
    ['hotspots', '/hotspots'],
    ['recommendations', '/recommendations'],
  ] as const

  for (const [name, pathname] of pages) {
    it(`should fit the ${name} page to the screen`, async () => {
      await settle(phone, `${collector.url}${pathname}`)
      await phone.screenshot({ path: path.join(ARTIFACTS, `phone-${name}.png`), fullPage: true })
      expect(await measureOverflow(phone)).toEqual({ pageScroll: 0, outside: [] })
    })
  }

  it('should fit the task page, its span table scrolling inside its own box', async () => {
    expect(failed).toBeDefined()
    await settle(phone, `${collector.url}/tasks/${encodeURIComponent(failed.task.taskId)}`)
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-task.png'), fullPage: true })
    expect(await measureOverflow(phone)).toEqual({ pageScroll: 0, outside: [] })
    const box = phone.locator('[data-testid="task-spans"] .table-scroll')
    expect(await box.evaluate((node) => node.scrollWidth > node.clientWidth)).toBe(true)
  })

  it('should fold the navigation behind a Menu button that opens every page', async () => {
    await settle(phone, `${collector.url}/overview`)
    const nav = phone.getByRole('navigation', { name: 'Main' })
    const menu = phone.getByTestId('menu-toggle')
    expect(await nav.isVisible()).toBe(false)
    expect(await menu.getAttribute('aria-expanded')).toBe('false')

    await menu.click()
    expect(await menu.getAttribute('aria-expanded')).toBe('true')
    const links = nav.getByRole('link')
    expect(await links.allTextContents()).toEqual(NAV_LABELS)
    for (const label of NAV_LABELS) {
      const box = (await nav.getByRole('link', { name: label, exact: true }).boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
      // Big enough to tap.
      expect(box.height).toBeGreaterThanOrEqual(32)
    }
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe(
      'page',
    )
    await phone.screenshot({ path: path.join(ARTIFACTS, 'phone-menu.png') })
    expect(await measureOverflow(phone)).toEqual({ pageScroll: 0, outside: [] })

    await nav.getByRole('link', { name: 'Hotspots' }).click()
    await phone.waitForURL(/\/hotspots$/)
    expect(await nav.isVisible()).toBe(false)
    expect(await menu.getAttribute('aria-expanded')).toBe('false')
  })
})

describe('every table, on a phone and on a desktop', () => {
  const pages = [
    ['overview', () => '/overview'],
    ['costs', () => '/'],
    ['showback', () => '/showback'],
    ['regressions', () => '/regressions'],
    ['alerts', () => '/alerts'],
    ['prices', () => '/prices'],
    ['hotspots', () => '/hotspots'],
    ['recommendations', () => '/recommendations'],
    ['task', () => `/tasks/${encodeURIComponent(failed.task.taskId)}`],
  ] as const

  for (const [device, width] of [
    ['phone', PHONE.width],
    ['desktop', 1400],
  ] as const) {
    for (const [name, pathname] of pages) {
      it(`should let every cell of the ${name} page's tables be reached at ${width} px`, async () => {
        const page = device === 'phone' ? phone : desktop
        await settle(page, `${collector.url}${pathname()}`)
        expect(await page.locator('main table').count()).toBeGreaterThan(0)
        expect(await unreachableTables(page)).toEqual([])
      })
    }
  }
})

describe('the dashboard on a desktop', () => {
  it('should show the navigation without a Menu button, and fit 1024 px as well', async () => {
    await settle(desktop, `${collector.url}/overview`)
    expect(await desktop.getByTestId('menu-toggle').isVisible()).toBe(false)
    const nav = desktop.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link').allTextContents()).toEqual(NAV_LABELS)
    await desktop.setViewportSize({ width: 1024, height: 800 })
    // The charts measure their box again after a resize, a frame or two later.
    await expect.poll(() => measureOverflow(desktop)).toEqual({ pageScroll: 0, outside: [] })
    await desktop.screenshot({ path: path.join(ARTIFACTS, 'desktop-1024-overview.png') })
    await desktop.setViewportSize({ width: 1400, height: 1000 })
  })

  it('should give every chart a legend naming its series', async () => {
    await settle(desktop, `${collector.url}/overview`)
    const legend = (testId: string) =>
      desktop.locator(`[data-testid="${testId}"] .recharts-legend-item-text`).allTextContents()
    expect(await legend('tasks-per-day-chart')).toEqual(['Successful', 'Failed or no outcome'])
    await desktop
      .getByTestId('tasks-per-day-chart')
      .screenshot({ path: path.join(ARTIFACTS, 'tasks-per-day-legend.png') })

    await settle(desktop, `${collector.url}/`)
    const spend = await desktop
      .locator('[data-testid="cost-per-task-chart"] .recharts-legend-item-text')
      .allTextContents()
    expect([...spend].sort()).toEqual(['code-review', 'research-report', 'ticket-triage'])
    const distribution = await desktop
      .locator('[data-testid="cost-distribution"] .recharts-legend-item-text')
      .allTextContents()
    expect(distribution).toEqual(['p50', 'p95'])
  })

  it("should show the task's outcome and score, and span status in words", async () => {
    const { task, spans } = failed
    await settle(desktop, `${collector.url}/tasks/${encodeURIComponent(task.taskId)}`)
    expect(await desktop.getByTestId('task-outcome').textContent()).toBe(task.outcome || '—')
    // The demo records a score with every outcome.
    expect(task.score).not.toBeNull()
    expect(await desktop.getByTestId('task-score').textContent()).toBe(scoreView(task.score)!.text)

    const statuses = desktop.getByTestId('span-status')
    expect(await statuses.count()).toBe(spans.length)
    for (const span of spans) {
      const cell = desktop.locator(`[data-span-id="${span.spanId}"] [data-testid="span-status"]`)
      if (span.status === 'error') {
        const message = span.statusMessage.replace(/^Error:\s*/, '')
        expect(await cell.textContent()).toBe(`Error${message}`)
        expect(await cell.getAttribute('title')).toBe(`failed: ${message}`)
        const bar = desktop.locator(`[data-span-id="${span.spanId}"] [data-testid="waterfall-bar"]`)
        expect(await bar.getAttribute('class')).toContain('waterfall-error')
      } else {
        expect(await cell.textContent()).toBe('OK')
      }
    }
    expect(await desktop.getByTestId('task-detail').textContent()).not.toContain('unset')
    await desktop.screenshot({
      path: path.join(ARTIFACTS, 'task-status-score.png'),
      fullPage: true,
    })
  })

  it('should log no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
