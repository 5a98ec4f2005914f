import fs from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium; no browser is ever downloaded. `AGENTMETER_CHROMIUM` overrides the path. */
export const CHROMIUM_PATH = process.env.AGENTMETER_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Launches headless Chromium for browser tests. A missing browser fails the suite (it does not
 * skip it): the test command installs Debian's `chromium` first.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine's network is closed: background services would only fail to connect.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}
