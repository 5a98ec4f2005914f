/**
 * Ingest acknowledgement latency with and without `task_cost` alert rules, as a ratio measured
 * in the same run: the task checks must stay off the ack path. Phases alternate (no rules, 20
 * rules, no rules, 20 rules) so drift of the machine hits both alike.
 *
 *   npx tsx bench/alerts-ingest.ts [batches per phase, default 150] [check delay ms, default 1000]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLogger, loadConfig, startCollector } from '@agentmeter/collector'

const BATCHES = Number(process.argv[2] ?? 150)
// The production default of AGENTMETER_ALERT_TASK_CHECK_DELAY_MS.
const CHECK_DELAY_MS = process.argv[3] ?? '1000'
const TASKS_PER_BATCH = 10
const RULES = 20

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-bench-alerts-'))
const key = `am_bench_${Date.now().toString(36)}`
const collector = await startCollector(
  loadConfig({
    AGENTMETER_PORT: '0',
    AGENTMETER_DATA_DIR: dataDir,
    AGENTMETER_INIT_PROJECT: 'bench',
    AGENTMETER_INIT_API_KEY: key,
    AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
    AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: CHECK_DELAY_MS,
  }),
  createLogger('silent'),
)

let sequence = 0
function batchBody(): string {
  const spans = []
  const now = BigInt(Date.now()) * 1_000_000n
  for (let task = 0; task < TASKS_PER_BATCH; task++) {
    sequence += 1
    const traceId = sequence.toString(16).padStart(32, '0')
    spans.push(
      span(traceId, `${sequence.toString(16).padStart(15, '0')}a`, '', now, {
        'agentmeter.span.kind': 'task',
        'agentmeter.task.name': 'bench-task',
      }),
      span(
        traceId,
        `${sequence.toString(16).padStart(15, '0')}b`,
        `${sequence.toString(16).padStart(15, '0')}a`,
        now,
        {
          'agentmeter.span.kind': 'llm',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 500,
        },
      ),
    )
  }
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }],
  })
}

function span(
  traceId: string,
  spanId: string,
  parentSpanId: string,
  start: bigint,
  attributes: Record<string, string | number>,
) {
  return {
    traceId,
    spanId,
    parentSpanId,
    name: 'bench',
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
    attributes: Object.entries(attributes).map(([name, value]) => ({
      key: name,
      value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
    })),
  }
}

async function api(method: string, route: string, body?: unknown) {
  const response = await fetch(`${collector.url}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await response.json()) as Record<string, unknown>
}

async function phase(): Promise<number[]> {
  const latencies: number[] = []
  for (let index = 0; index < BATCHES; index++) {
    const body = batchBody()
    const startedAt = performance.now()
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    })
    await response.arrayBuffer()
    latencies.push(performance.now() - startedAt)
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
  }
  return latencies
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

const ruleIds: string[] = []
for (let index = 0; index < RULES; index++) {
  const answer = await api('POST', '/alert-rules', {
    name: `bench ${index}`,
    type: 'task_cost',
    // Above every bench task, so the checks run in full and nothing is sent.
    thresholdUsd: 100,
    enabled: false,
    channel: { type: 'webhook', url: 'http://127.0.0.1:9/never' },
  })
  ruleIds.push((answer.rule as { id: string }).id)
}
const setRules = (enabled: boolean) =>
  Promise.all(ruleIds.map((id) => api('PATCH', `/alert-rules/${id}`, { enabled })))

await phase() // warm-up
const without: number[] = []
const withRules: number[] = []
for (let round = 0; round < 2; round++) {
  await setRules(false)
  without.push(...(await phase()))
  await setRules(true)
  withRules.push(...(await phase()))
}

const report = {
  batches: without.length,
  spansPerBatch: TASKS_PER_BATCH * 2,
  rules: RULES,
  checkDelayMillis: Number(CHECK_DELAY_MS),
  p50AckMillis: { without: quantile(without, 0.5), with: quantile(withRules, 0.5) },
  p95AckMillis: { without: quantile(without, 0.95), with: quantile(withRules, 0.95) },
  ratioP50: quantile(withRules, 0.5) / quantile(without, 0.5),
  ratioP95: quantile(withRules, 0.95) / quantile(without, 0.95),
}
console.log(JSON.stringify(report, null, 2))
await collector.close()
fs.rmSync(dataDir, { recursive: true, force: true })
