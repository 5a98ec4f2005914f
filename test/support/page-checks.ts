import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { seriousAxeViolations, type AxeViolation } from './axe'

/** Where browser suites save their screenshots (the `test-results/` folder CI keeps). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results')

/**
 * Saves a full-page screenshot of the page in the light and in the dark system theme
 * (`<name>-light.png`, `<name>-dark.png`) and runs axe in each; returns the serious and
 * critical violations by theme, so a test asserts both are empty. The page is left in light.
 * The dashboard follows `prefers-color-scheme` unless the theme toggle forced one.
 */
export async function checkThemes(
  page: Page,
  name: string,
): Promise<{ light: AxeViolation[]; dark: AxeViolation[] }> {
  const result = { light: [] as AxeViolation[], dark: [] as AxeViolation[] }
  for (const theme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: theme })
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${theme}.png`), fullPage: true })
    result[theme] = await seriousAxeViolations(page)
  }
  return result
}

/**
 * Collects the page's console errors and uncaught exceptions into `errors`. A failed resource
 * load whose URL `expected` accepts (an API answer a test made fail on purpose) is left out:
 * Chromium reports every non-2xx response as a console error.
 */
export function watchConsole(
  page: Page,
  errors: string[],
  expected: (url: string) => boolean = () => false,
): void {
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const failedLoad = message.text().startsWith('Failed to load resource')
    if (failedLoad && expected(message.location().url)) return
    errors.push(`${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (err) => errors.push(err.message))
}

/**
 * Clicks the export button of a table (its accessible name is `Export CSV of <table>`) and
 * returns the downloaded records, read as RFC 4180 (CRLF between records, quoted fields with
 * their quotes doubled); a file that does not end with CRLF is an error.
 */
export async function downloadCsv(page: Page, table: string): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Export CSV of ${table}` }).click(),
  ])
  const text = fs.readFileSync((await download.path())!, 'utf8')
  if (!text.endsWith('\r\n')) throw new Error(`the CSV of ${table} does not end with CRLF`)
  return parseCsv(text)
}

function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      record.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += char
  }
  return records
}
