import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  createLogger,
  loadConfig,
  startCollector,
  type RunningCollector,
} from '@agentmeter/collector'

export interface TestCollector extends RunningCollector {
  apiKey: string
  dataDir: string
  /** GET a JSON API path with the project key. */
  api<T = unknown>(pathAndQuery: string): Promise<{ status: number; body: T }>
  /** POST an OTLP/JSON body to `/v1/traces` with the project key; the response's status. */
  sendTraces(body: string): Promise<number>
}

/**
 * A real collector on an ephemeral loopback port with its own embedded ClickHouse directory,
 * provisioned with one project and a key that has every scope.
 */
export async function createTestCollector(
  options: {
    dashboardDir?: string
    env?: Record<string, string>
    /** Collects every log line, at debug level, instead of silencing the logger. */
    logLines?: string[]
  } = {},
): Promise<TestCollector> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-test-'))
  const apiKey = `am_test_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`
  const config = loadConfig({
    AGENTMETER_PORT: '0',
    AGENTMETER_HOST: '127.0.0.1',
    AGENTMETER_DATA_DIR: dataDir,
    AGENTMETER_INIT_PROJECT: 'test-project',
    AGENTMETER_INIT_API_KEY: apiKey,
    ...(options.dashboardDir ? { AGENTMETER_DASHBOARD_DIR: options.dashboardDir } : {}),
    ...options.env,
  })
  const logLines = options.logLines
  const logger = logLines
    ? createLogger('debug', (line) => logLines.push(line))
    : createLogger(process.env.AGENTMETER_TEST_LOG === '1' ? 'error' : 'silent')
  const collector = await startCollector(config, logger)
  return {
    ...collector,
    apiKey,
    dataDir,
    async api<T>(pathAndQuery: string) {
      const response = await fetch(`${collector.url}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      })
      return { status: response.status, body: (await response.json()) as T }
    },
    async sendTraces(body: string) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      })
      await response.arrayBuffer()
      return response.status
    },
    async close() {
      await collector.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
