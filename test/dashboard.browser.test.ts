import fs from 'node:fs'
import path from 'node:path'
import { runDemo } from '@agentmeter/demo'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatPercent, formatUsd, formatUsdExact } from '../apps/dashboard/src/prepare/format'
import type { Hotspot } from '../apps/dashboard/src/api/hotspots'
import { unlistedHotspotsText } from '../apps/dashboard/src/prepare/hotspots'
import { launchChromium } from './support/chromium'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')
const ARTIFACTS = path.resolve(import.meta.dirname, '../test-results')

interface ApiTask {
  taskId: string
  name: string
  costUsd: number | null
}

let collector: TestCollector
let browser: Browser
let page: Page
const consoleErrors: string[] = []

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  collector = await createTestCollector({ dashboardDir: DASHBOARD_DIR })
  await runDemo({ endpoint: collector.url, apiKey: collector.apiKey, tasks: 9, seed: 11 })
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
})

describe('dashboard in headless Chromium after a demo run', () => {
  it('should sign in from the link, show the cost-per-task chart and every task', async () => {
    const { body } = await collector.api<{ tasks: ApiTask[] }>('/api/v1/tasks')
    expect(body.tasks).toHaveLength(9)

    await page.goto(`${collector.url}/#key=${collector.apiKey}`)
    await page.getByTestId('cost-per-task-chart').locator('svg').first().waitFor()
    await page.getByTestId('task-row').first().waitFor()

    // The key is traded for a session cookie and leaves the address bar.
    expect(page.url()).not.toContain('key=')
    await expect.poll(() => page.getByTestId('task-row').count()).toBe(9)
    for (const task of body.tasks) {
      const row = page.locator(`[data-testid="task-row"][data-task-id="${task.taskId}"]`)
      expect(await row.getByTestId('task-cost').textContent()).toBe(formatUsd(task.costUsd))
    }
    await page.getByTestId('cost-distribution').waitFor()
    await page.screenshot({
      path: path.join(ARTIFACTS, 'dashboard-cost-per-task.png'),
      fullPage: true,
    })
  })

  it('should open a task and show its spans with their costs', async () => {
    const { body } = await collector.api<{ tasks: ApiTask[] }>('/api/v1/tasks')
    const chosen = body.tasks[0]!
    const detail = await collector.api<{
      spans: Array<{ spanId: string; costUsd: number | null; kind: string }>
    }>(`/api/v1/tasks/${chosen.taskId}`)

    await page
      .locator(`[data-testid="task-row"][data-task-id="${chosen.taskId}"] a`)
      .first()
      .click()
    await page.locator('[data-testid="task-detail"][data-state="ready"]').waitFor()
    expect(page.url()).toContain(`/tasks/${encodeURIComponent(chosen.taskId)}`)

    await expect.poll(() => page.getByTestId('span-row').count()).toBe(detail.body.spans.length)
    for (const span of detail.body.spans.filter((candidate) => candidate.kind === 'llm')) {
      const row = page.locator(`[data-testid="span-row"][data-span-id="${span.spanId}"]`)
      // The task page writes costs exactly, every digit.
      expect(await row.getByTestId('span-cost').textContent()).toBe(formatUsdExact(span.costUsd))
    }
    await page.screenshot({
      path: path.join(ARTIFACTS, 'dashboard-task-detail.png'),
      fullPage: true,
    })
  })

  it('should show the unpriced share of calls and add a custom price on the prices page', async () => {
    const start = new Date(Date.now() - 5_000)
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody([
        {
          traceId: 'ee'.repeat(16),
          spanId: 'e000000000000001',
          name: 'chat acme-9000',
          startTimeUnixNano: toUnixNano(start),
          endTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'acme',
            'gen_ai.request.model': 'acme-9000',
            'gen_ai.usage.input_tokens': 10,
            'gen_ai.usage.output_tokens': 10,
          },
        },
      ]),
    })
    expect(response.status).toBe(200)
    const { body: report } = await collector.api<{ totalCalls: number; unpricedCalls: number }>(
      '/api/v1/unpriced',
    )
    expect(report.unpricedCalls).toBe(1)

    await page.goto(`${collector.url}/`)
    const summary = page.getByTestId('unpriced-summary')
    await summary.waitFor()
    expect(await summary.textContent()).toContain(`(1 of ${report.totalCalls}) unpriced`)
    expect(await page.getByTestId('unpriced').locator('tbody tr').first().textContent()).toContain(
      'acme-9000',
    )

    await page.getByRole('link', { name: 'Prices' }).first().click()
    await page.locator('[data-testid="price-book"][data-state="empty"]').waitFor()
    await page.getByLabel('Model', { exact: true }).fill('acme-9000')
    await page.getByLabel('Input $/M', { exact: true }).fill('2')
    await page.getByLabel('Output $/M', { exact: true }).fill('8')
    await page.getByRole('button', { name: 'Add price' }).click()
    await page.locator('[data-testid="price-book"] tbody tr').first().waitFor()
    expect(
      await page.locator('[data-testid="price-book"] tbody tr').first().textContent(),
    ).toContain('$2.00 in / $8.00 out per M')
    const { body } = await collector.api<{ prices: Array<{ name: string; inputMtok: string }> }>(
      '/api/v1/prices',
    )
    expect(body.prices).toMatchObject([{ name: 'acme-9000', inputMtok: '2.000000000000' }])
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-prices.png'), fullPage: true })
  })

  it('should rank the demo run hotspots by dollars, as the API does', async () => {
    // Beside the demo's, a $0.50 call and a duplicate of a $0.000021 one: a waste far under
    // 0.1% of the spend (the API gives shares to 1e-6), which must not read as none. And a
    // free tool called twice alike: repeated work that cost nothing, so no ranked hotspot.
    const hourAgo = Date.now() - 3_600_000
    const tiny = (spanId: string, seconds: number) =>
      llmCallSpan({
        taskId: 'tiny-dup',
        taskName: 'tiny-dup',
        step: 'classify',
        spanId,
        at: new Date(hourAgo + seconds * 1000),
        model: 'gpt-4o-mini',
        input: 100,
        output: 10,
        requestHash: '00000000000000c1',
        responseHash: '00000000000000d1',
        temperature: 0,
      })
    const freeLookup = (spanId: string, seconds: number) =>
      toolCallSpan({
        taskId: 'free-repeat',
        taskName: 'free-repeat',
        step: 'verify',
        spanId,
        at: new Date(hourAgo + seconds * 1000),
        tool: 'lookup_account',
        argsHash: '00000000000000e1',
        resultHash: '00000000000000e2',
        resultTokens: 40,
      })
    const posted = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody([
        taskRootSpan('free-repeat', 'free-repeat', new Date(hourAgo)),
        freeLookup('c000000000000011', 1),
        freeLookup('c000000000000012', 2),
        taskRootSpan('tiny-dup', 'tiny-dup', new Date(hourAgo)),
        tiny('c000000000000001', 1),
        tiny('c000000000000002', 5),
        llmCallSpan({
          taskId: 'bulk',
          taskName: 'bulk',
          spanId: 'c000000000000003',
          at: new Date(hourAgo),
          model: 'gpt-4o',
          input: 200_000,
          output: 0,
          requestHash: '00000000000000c3',
        }),
      ]),
    })
    expect(posted.status).toBe(200)
    const to = new Date().toISOString()
    const from = new Date(Date.now() - 30 * 24 * 3_600_000).toISOString()
    const { body } = await collector.api<{
      totalWastedUsd: number
      totalSpendUsd: number
      wastedShare: number | null
      hotspots: Array<{ wastedUsd: number; cause: string; taskName: string; shareOfSpend: number }>
    }>(`/api/v1/hotspots?from=${from}&to=${to}`)
    expect(body.hotspots.length).toBeGreaterThan(1)
    const small = body.hotspots.find((hotspot) => hotspot.taskName === 'tiny-dup')!
    expect(small).toMatchObject({ cause: 'duplicate_llm_call' })
    expect(small.wastedUsd).toBeCloseTo(100 * 0.15e-6 + 10 * 0.6e-6, 12)
    expect(small.shareOfSpend).toBeGreaterThan(0)
    expect(small.shareOfSpend).toBeLessThan(0.001)
    const free = body.hotspots.filter((hotspot) => hotspot.taskName === 'free-repeat')
    expect(free).toMatchObject([{ cause: 'repeated_tool_call', wastedUsd: 0 }])

    await page.getByRole('link', { name: 'Hotspots' }).click()
    await page.getByTestId('hotspot-row').first().waitFor()
    // Only what cost money is ranked; the free repeats are named under the table instead.
    const ranked = body.hotspots
      .filter((hotspot) => hotspot.wastedUsd > 0)
      .sort((a, b) => b.wastedUsd - a.wastedUsd)
    await expect.poll(() => page.getByTestId('hotspot-row').count()).toBe(ranked.length)
    const shown = await page.getByTestId('hotspot-wasted').allTextContents()
    expect(shown).toEqual(ranked.map((hotspot) => formatUsd(hotspot.wastedUsd)))
    expect(shown).not.toContain('$0.00')
    expect(await page.getByTestId('hotspots-unlisted').textContent()).toBe(
      unlistedHotspotsText(body.hotspots as Hotspot[]),
    )
    const shares = await page.getByTestId('hotspot-share').allTextContents()
    expect(shares).toEqual(ranked.map((hotspot) => formatPercent(hotspot.shareOfSpend)))
    expect(shares[ranked.indexOf(small)]).toBe('<0.1%')
    expect(await page.getByTestId('hotspots-total').textContent()).toBe(
      `${formatUsd(body.totalWastedUsd)} wasted on repeated work (${formatPercent(body.wastedShare)} of ${formatUsd(body.totalSpendUsd)} spent).`,
    )
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-hotspots.png'), fullPage: true })
  })

  it('should load the task list a page at a time, each row once, in the API’s order', async () => {
    // 150 more tasks, ten to each start instant: ties sit on the page boundary too.
    const base = Date.now() - 10 * 60_000
    const roots = Array.from({ length: 150 }, (_, index) =>
      taskRootSpan(
        `paged-${String(index).padStart(3, '0')}`,
        'paged',
        new Date(base + Math.floor(index / 10) * 1000),
      ),
    )
    expect(await collector.sendTraces(createOtlpJsonBody(roots))).toBe(200)
    const { body } = await collector.api<{ tasks: ApiTask[]; nextCursor: string | null }>(
      '/api/v1/tasks?limit=1000',
    )
    expect(body.nextCursor).toBeNull()
    const all = body.tasks.map((task) => task.taskId)
    expect(all.length).toBeGreaterThan(150)
    expect(all.length).toBeLessThanOrEqual(200)

    await page.goto(`${collector.url}/`)
    const rows = page.getByTestId('task-row')
    await expect.poll(() => rows.count()).toBe(100)
    const ids = () =>
      rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-task-id')))
    expect(await ids()).toEqual(all.slice(0, 100))
    expect(await page.getByTestId('task-list').locator('.footnote').textContent()).toBe(
      'Showing the newest 100 tasks of the range.',
    )
    await page
      .getByTestId('task-list')
      .screenshot({ path: path.join(ARTIFACTS, 'dashboard-task-list-first-page.png') })
    await page.getByTestId('load-more-tasks').click()
    await expect.poll(() => rows.count()).toBe(all.length)
    expect(await ids()).toEqual(all)
    // The last page is in: no button, no note.
    expect(await page.getByTestId('load-more-tasks').count()).toBe(0)
    expect(await page.getByTestId('task-list').locator('.footnote').count()).toBe(0)
    await page.screenshot({
      path: path.join(ARTIFACTS, 'dashboard-task-pages.png'),
      fullPage: true,
    })
  })

  it('should log no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
