import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  createLogger,
  loadConfig,
  startCollector,
  type RunningCollector,
} from '@agentmeter/collector'

/** A silent collector on a fresh embedded store, with the one project its key belongs to. */
export interface BenchCollector {
  collector: RunningCollector
  apiKey: string
  projectId: string
}

/**
 * Runs `measure` against a collector of its own (loopback, ephemeral port, a temporary data
 * directory), then stops the collector and deletes the directory, whatever `measure` did.
 */
export async function withBenchCollector<T>(
  apiKey: string,
  measure: (bench: BenchCollector) => Promise<T>,
): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-bench-'))
  const collector = await startCollector(
    loadConfig({
      AGENTMETER_PORT: '0',
      AGENTMETER_HOST: '127.0.0.1',
      AGENTMETER_DATA_DIR: dataDir,
      AGENTMETER_INIT_PROJECT: 'bench',
      AGENTMETER_INIT_API_KEY: apiKey,
    }),
    createLogger('silent'),
  )
  try {
    const result = await collector.client.query({
      query: 'SELECT id FROM projects LIMIT 1',
      format: 'JSONEachRow',
    })
    const [project] = await result.json<{ id: string }>()
    return await measure({ collector, apiKey, projectId: project!.id })
  } finally {
    await collector.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
