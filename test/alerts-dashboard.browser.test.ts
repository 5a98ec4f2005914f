import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, GPT4O_1000_500, llmSpan, sendSpans, taskRootSpan } from './support/alert-spans'
import { launchChromium } from './support/chromium'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')
const ARTIFACTS = path.resolve(import.meta.dirname, '../test-results')

let collector: TestCollector
let receiver: WebhookReceiver
let browser: Browser
let page: Page
const consoleErrors: string[] = []

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector({
    dashboardDir: DASHBOARD_DIR,
    env: { AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1', AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: '100' },
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(err.message))
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await collector?.close()
  await receiver?.close()
})

describe('alerts page in headless Chromium', () => {
  it('should show a firing rule and its event, linked to the task', async () => {
    const created = await callApi<{ rule: { id: string } }>(
      collector,
      'POST',
      '/api/v1/alert-rules',
      {
        name: 'costly research',
        type: 'task_cost',
        taskName: 'research',
        thresholdUsd: 0.005,
        channel: { type: 'webhook', url: `${receiver.url}/browser` },
      },
    )
    expect(created.status).toBe(201)
    const start = new Date(Date.now() - 4000)
    const root = taskRootSpan('research-run-1', 'research', start)
    await sendSpans(collector, [
      root,
      llmSpan('research-run-1', root.spanId, start, GPT4O_1000_500),
    ])
    await receiver.waitFor('/browser', 1)

    await page.goto(`${collector.url}/#key=${collector.apiKey}`)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Alerts' })
      .click()
    await page.locator('[data-testid="alert-rules"][data-state="ready"]').waitFor()
    expect(page.url()).toBe(`${collector.url}/alerts`)

    const rule = page.locator(
      `[data-testid="alert-rule-row"][data-rule-id="${created.body.rule.id}"]`,
    )
    expect(await rule.getByTestId('alert-rule-state').textContent()).toBe('firing')
    expect(await rule.locator('td').first().textContent()).toBe('research task > $0.005')

    const event = page.getByTestId('alert-event-row').first()
    expect(await event.locator('td').nth(2).textContent()).toBe(
      'task research (research-run-1) cost $0.0075, above the threshold of $0.005 Open task',
    )
    expect(await event.locator('td').nth(3).textContent()).toBe('delivered')
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-alerts.png'), fullPage: true })
    await event.getByRole('link', { name: 'Open task' }).click()
    await page.locator('[data-testid="task-detail"][data-state="ready"]').waitFor()
    expect(page.url()).toBe(`${collector.url}/tasks/research-run-1`)
  })

  it('should disable and enable a rule from its row', async () => {
    await page.goto(`${collector.url}/alerts`)
    const row = page.getByTestId('alert-rule-row').first()
    await row.getByRole('button', { name: 'Disable' }).click()
    await expect
      .poll(() =>
        page.getByTestId('alert-rule-row').first().getByTestId('alert-rule-state').textContent(),
      )
      .toBe('disabled')
    const { body } = await callApi<{ rules: Array<{ enabled: boolean }> }>(
      collector,
      'GET',
      '/api/v1/alert-rules',
    )
    expect(body.rules.map((rule) => rule.enabled)).toEqual([false])

    await page.getByTestId('alert-rule-row').first().getByRole('button', { name: 'Enable' }).click()
    await expect
      .poll(() =>
        page.getByTestId('alert-rule-row').first().getByTestId('alert-rule-state').textContent(),
      )
      .toBe('firing')
  })

  it('should log no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
