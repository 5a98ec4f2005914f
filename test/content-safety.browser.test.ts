import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../apps/collector/src/api/static-dashboard'
import { CAPTURE_OFF_NOTE, NO_CONTENT_NOTE } from '../apps/dashboard/src/prepare/span-content'
import {
  HOSTILE_INPUT_MESSAGES,
  HOSTILE_OUTPUT_MESSAGES,
  HOSTILE_TOOL_ARGUMENTS,
  HOSTILE_TOOL_RESULT,
} from '../apps/dashboard/src/test-support/hostile-content'
import { launchChromium } from './support/chromium'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Captured content that tries to run script (`<script>`, `onerror`, `onload`, `onclick`,
 * `onmouseover`, `javascript:` links), to fetch from a remote host (a markdown image) or to
 * navigate (`data:` links), shown on the task page in real headless Chromium: it must appear as
 * text, exactly, with no dialog, no script run, no request off loopback and no console error.
 * Every request the page makes is checked, and any to another host is aborted before it leaves.
 */
const DASHBOARD_DIR = path.resolve(import.meta.dirname, '../apps/dashboard/dist')
const ARTIFACTS = path.resolve(import.meta.dirname, '../test-results')
const TRACE = 'c5'.repeat(16)
const ROOT = 'c500000000000001'
const LLM = 'c500000000000002'
const TOOL = 'c500000000000003'
const LONG = 'c500000000000004'
const LONG_ANSWER = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of the answer.`).join('\n')

let collector: TestCollector
let browser: Browser
let context: BrowserContext
let page: Page
const consoleErrors: string[] = []
const dialogs: string[] = []
const offLoopback: string[] = []

function span(
  spanId: string,
  name: string,
  offsetMillis: number,
  attributes: Record<string, string | number>,
) {
  const start = new Date(Date.now() - 120_000 + offsetMillis)
  return {
    traceId: TRACE,
    spanId,
    parentSpanId: spanId === ROOT ? '' : ROOT,
    name,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1_000)),
    attributes,
  }
}

async function put(route: string, body: unknown): Promise<number> {
  const response = await fetch(`${collector.url}${route}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return response.status
}

function contentBodies(): Promise<string[]> {
  return page
    .locator('[data-testid="span-content"] [data-testid="content-body"]')
    .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''))
}

async function selectSpan(spanId: string): Promise<void> {
  await page.locator(`[data-span-id="${spanId}"] [data-testid="span-select"]`).click()
  await page.locator('[data-testid="span-content"][data-state="ready"]').waitFor()
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'))) {
    throw new Error(`the dashboard is not built at ${DASHBOARD_DIR}: run "pnpm build" first`)
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true })
  collector = await createTestCollector({ dashboardDir: DASHBOARD_DIR })
  expect(await put('/api/v1/settings', { captureContent: true })).toBe(200)
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      span(ROOT, 'hostile-content', 0, {
        'agentmeter.span.kind': 'task',
        'agentmeter.task.name': 'hostile-content',
      }),
      span(LLM, 'chat gpt-4o', 100, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 40,
        'gen_ai.input.messages': HOSTILE_INPUT_MESSAGES,
        'gen_ai.output.messages': HOSTILE_OUTPUT_MESSAGES,
      }),
      span(TOOL, 'execute_tool search', 200, {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'search',
        'gen_ai.tool.call.arguments': HOSTILE_TOOL_ARGUMENTS,
        'gen_ai.tool.call.result': HOSTILE_TOOL_RESULT,
      }),
      span(LONG, 'chat long answer', 300, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 400,
        'output.value': LONG_ANSWER,
      }),
    ]),
  })
  expect(response.status).toBe(200)

  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  // Every request of every page of the context: a host other than the collector's is recorded
  // and aborted, so nothing leaves the machine even if the page tried.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1') return route.continue()
    offLoopback.push(url.href)
    return route.abort()
  })
  page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(err.message))
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await collector?.close()
})

describe('captured content on the task page in headless Chromium', () => {
  it('should serve the task page under the strict content security policy', async () => {
    const response = await fetch(`${collector.url}/tasks/${TRACE}`)
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
    )
    expect(CONTENT_SECURITY_POLICY).toBe(response.headers.get('content-security-policy'))
  })

  it('should render script, event-handler, link and image payloads as their exact text', async () => {
    await page.goto(`${collector.url}/#key=${collector.apiKey}`)
    await page.getByTestId('task-row').first().waitFor()
    await page.goto(`${collector.url}/tasks/${TRACE}`)
    await page.locator('[data-testid="task-detail"][data-state="ready"]').waitFor()
    // The first LLM call is shown at once: system and user prompt, then the answer.
    await page.locator('[data-testid="span-content"][data-state="ready"]').waitFor()
    expect(await page.getByTestId('span-content').locator('h2').textContent()).toBe(
      'Content of chat gpt-4o',
    )
    expect(await contentBodies()).toEqual([
      `<svg onload="window.__pwned='svg'"><circle r="5"/></svg> You are helpful.`,
      `Read <script>window.__pwned='script';alert(1)</script> and <img src=x onerror="window.__pwned='img';alert(2)"> now`,
      "See [the docs](javascript:window.__pwned='js-link') or safe" +
        'and ![pixel](http://tracker.example.invalid/p.png?leak=1) or [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)' +
        `<a href="javascript:window.__pwned='a'" onclick="window.__pwned='onclick'">raw anchor</a>`,
    ])
    const roles = await page
      .locator('[data-testid="span-content"] [data-testid="content-part"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-role')))
    expect(roles).toEqual(['system', 'user', 'assistant'])

    // The one allowed link, and nothing else that could act: no element that runs, loads or
    // frames, and no attribute that is a handler or a source.
    const links = await page
      .locator('[data-testid="span-content"] a')
      .evaluateAll((nodes) =>
        nodes.map((node) => [
          node.getAttribute('href'),
          node.getAttribute('rel'),
          node.textContent,
        ]),
      )
    expect(links).toEqual([
      ['https://docs.example.invalid/a?b=1', 'noopener noreferrer nofollow', 'safe'],
    ])
    await page.getByText('raw anchor', { exact: false }).click()
    await page.getByText('[the docs]', { exact: false }).click()

    await selectSpan(TOOL)
    expect(await page.getByTestId('span-content').locator('h2').textContent()).toBe(
      'Content of execute_tool search',
    )
    expect(await contentBodies()).toEqual([
      '{\n  "query": "<img src=x onerror=alert(3)>",\n  "url": "javascript:alert(4)"\n}',
      `<div onmouseover="window.__pwned='inline-handler'" style="position:fixed;inset:0">hover</div>` +
        'Found [the ref][r] and mail.' +
        "[r]: javascript:window.__pwned='ref'",
    ])
    // Where an injected handler would sit if the payload had become an element.
    await page.getByText('hover</div>', { exact: false }).hover()
    await page.getByText('[the ref][r]', { exact: false }).click()

    const active = await page.getByTestId('span-content').evaluate((panel) => ({
      elements: panel.querySelectorAll('script, img, svg, iframe, object, embed, style, link, form')
        .length,
      attributes: [...panel.querySelectorAll('*')].flatMap((node) =>
        node
          .getAttributeNames()
          .filter((name) => /^on|^src|^srcdoc|^style|^formaction/.test(name))
          .map((name) => `${node.tagName}.${name}`),
      ),
    }))
    expect(active).toEqual({ elements: 0, attributes: [] })
    await page.screenshot({ path: path.join(ARTIFACTS, 'task-content.png'), fullPage: true })

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(consoleErrors).toEqual([])
    expect(offLoopback).toEqual([])
  })

  it('should collapse a long answer behind a toggle that the keyboard opens and closes', async () => {
    await selectSpan(LONG)
    const preview = LONG_ANSWER.split('\n').slice(0, 12).join('')
    expect(await contentBodies()).toEqual([`${preview}…`])
    const toggle = page.getByTestId('content-toggle')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await toggle.textContent()).toBe(`Show all (${LONG_ANSWER.length} characters)`)

    await toggle.focus()
    await page.keyboard.press('Enter')
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    expect(await contentBodies()).toEqual([LONG_ANSWER.split('\n').join('')])
    // The raw text, line by line, with "Show as plain text".
    await page.getByLabel('Show as plain text').check()
    expect(await contentBodies()).toEqual([LONG_ANSWER])
    await toggle.focus()
    await page.keyboard.press('Space')
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await contentBodies()).toEqual([`${LONG_ANSWER.split('\n').slice(0, 12).join('\n')}…`])
  })

  it('should say when a span has no content, and when capture is off', async () => {
    await selectSpan(ROOT)
    expect(await page.getByTestId('content-note').textContent()).toBe(NO_CONTENT_NOTE)

    expect(await put('/api/v1/settings', { captureContent: false })).toBe(200)
    await page.reload()
    await page.locator('[data-testid="task-detail"][data-state="ready"]').waitFor()
    await selectSpan(ROOT)
    expect(await page.getByTestId('content-note').textContent()).toBe(CAPTURE_OFF_NOTE)
    // Content stored while capture was on stays readable (it was redacted when it arrived).
    await selectSpan(LLM)
    expect((await contentBodies()).length).toBe(3)

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(dialogs).toEqual([])
    expect(consoleErrors).toEqual([])
    expect(offLoopback).toEqual([])
  })

  it('should render every page of the dashboard under the policy without a violation', async () => {
    // A script or style the policy refused would be a console error ("Refused to ...").
    for (const route of [
      '/',
      '/overview',
      '/showback',
      '/regressions',
      '/alerts',
      '/prices',
      '/hotspots',
      '/recommendations',
      `/tasks/${TRACE}`,
    ]) {
      await page.goto(`${collector.url}${route}`)
      await page.waitForLoadState('networkidle')
      await page.locator('.page').first().waitFor()
      expect(consoleErrors, route).toEqual([])
    }
    expect(offLoopback).toEqual([])
  })

  it('should have the policy refuse injected HTML, inline handlers, scripts and javascript: URLs', async () => {
    // What the policy does if a future change ever put content in the page as HTML: each sink
    // throws and the browser reports the violation (the console errors are expected here).
    const outcome = await page.evaluate(async () => {
      const violations: string[] = []
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(event.effectiveDirective),
      )
      const attempts: Array<[string, () => void]> = [
        [
          'innerHTML',
          () => {
            document.body.insertAdjacentHTML('beforeend', '<img src="/x" onerror="window.__csp=1">')
          },
        ],
        ['handler', () => document.createElement('img').setAttribute('onerror', 'window.__csp=2')],
        ['script', () => (document.createElement('script').textContent = 'window.__csp=3')],
      ]
      const refused: Record<string, boolean> = {}
      for (const [name, attempt] of attempts) {
        try {
          attempt()
          refused[name] = false
        } catch {
          refused[name] = true
        }
      }
      // A javascript: navigation does not throw; the policy stops it before it runs.
      location.href = 'javascript:window.__csp=4'
      const deadline = Date.now() + 3_000
      while (new Set(violations).size < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return {
        refused,
        csp: (window as { __csp?: unknown }).__csp,
        violations: [...new Set(violations)].sort(),
      }
    })
    expect(outcome).toEqual({
      refused: { innerHTML: true, handler: true, script: true },
      csp: undefined,
      violations: ['require-trusted-types-for', 'script-src-elem'],
    })
    expect(dialogs).toEqual([])
    expect(offLoopback).toEqual([])
  })
})
