import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  createLogger,
  loadConfig,
  startCollector,
  type RunningCollector,
} from '@agentmeter/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, GPT4O_1000_500, llmSpan, sendSpans, taskRootSpan } from './support/alert-spans'
import { createOtlpJsonBody } from './support/otlp-json'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

// What an operator scrapes and reads: /metrics series with exact values, and JSON log lines that
// carry request ids and never a key.
let collector: RunningCollector & { apiKey: string }
let receiver: WebhookReceiver
let dataDir: string
const logLines: string[] = []
const API_KEY = `am_ops_${Date.now().toString(36)}_secret`

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-ops-'))
  receiver = await createTestWebhookReceiver()
  const config = loadConfig({
    AGENTMETER_PORT: '0',
    AGENTMETER_DATA_DIR: dataDir,
    AGENTMETER_INIT_PROJECT: 'ops',
    AGENTMETER_INIT_API_KEY: API_KEY,
    AGENTMETER_MAX_ATTRIBUTES_PER_SPAN: '8',
    AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
  })
  const running = await startCollector(
    config,
    createLogger('debug', (line) => logLines.push(line)),
  )
  collector = Object.assign(running, { apiKey: API_KEY })
})

afterAll(async () => {
  await collector?.close()
  await receiver?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(`${collector.url}/metrics`)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const series = new Map<string, number>()
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    series.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return series
}

describe('operations', () => {
  it('should show every known series from the first scrape, at 0 before it counts anything', async () => {
    const series = await scrape()
    const zero = (name: string, label: string, values: string[]) =>
      values.map((value) => [`${name}{${label}="${value}"}`, 0])
    const expected = new Map<string, number>([
      ...zero('agentmeter_ingest_requests_total', 'status', [
        '200',
        '400',
        '401',
        '403',
        '413',
        '415',
        '429',
        '503',
      ]),
      ...zero('agentmeter_ingest_rejects_total', 'reason', [
        'malformed',
        'unauthorized',
        'forbidden',
        'too_large',
        'unsupported_media_type',
        'rate_limited',
        'storage_unavailable',
      ]),
      ['agentmeter_ingest_shed_total', 0],
      ['agentmeter_spans_accepted_total', 0],
      ...zero('agentmeter_spans_rejected_total', 'reason', [
        'invalid_span',
        'span_limits',
        'normalize_failed',
      ]),
      ...zero('agentmeter_ingest_acks_total', 'path', ['stored', 'logged', 'spooled']),
      ...zero('agentmeter_inserts_total', 'result', ['ok', 'failed']),
      ...zero('agentmeter_insert_rows_total', 'result', ['ok', 'failed']),
      ['agentmeter_insert_duration_seconds_count', 0],
      ['agentmeter_insert_duration_seconds_bucket{le="+Inf"}', 0],
      ['agentmeter_write_ahead_seconds_count', 0],
      ['agentmeter_spool_appended_batches_total', 0],
      ['agentmeter_spool_quarantined_batches_total', 0],
      ...zero('agentmeter_alert_deliveries_total', 'result', ['delivered', 'retry', 'failed']),
      ...zero('agentmeter_alert_claims_total', 'result', ['won', 'lost']),
      ...['firing', 'renotify', 'warning', 'resolved', 'test'].flatMap((kind) =>
        ['pending', 'suppressed'].map((status): [string, number] => [
          `agentmeter_alert_events_total{kind="${kind}",status="${status}"}`,
          0,
        ]),
      ),
      ['agentmeter_alert_task_checks_total', 0],
    ] as Array<[string, number]>)
    const shown = new Map([...expected.keys()].map((name) => [name, series.get(name)]))
    expect(shown).toEqual(expected)
  })

  it('should count ingest, rejects by reason, inserts and their latency exactly', async () => {
    const start = new Date(Date.now() - 5000)
    const root = taskRootSpan('ops-1', 'ops-task', start)
    await sendSpans(collector, [root, llmSpan('ops-1', root.spanId, start, GPT4O_1000_500)])

    // One span over the attribute limit (8) beside a good one: a partial success.
    const wide = llmSpan('ops-1', root.spanId, start, GPT4O_1000_500)
    for (let i = 0; i < 10; i++) wide.attributes[`extra.${i}`] = String(i)
    await sendSpans(collector, [wide, llmSpan('ops-1', root.spanId, start, GPT4O_1000_500)])

    const unauthorized = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: 'Bearer am_wrong', 'content-type': 'application/json' },
      body: createOtlpJsonBody([root]),
    })
    expect(unauthorized.status).toBe(401)
    const unsupported = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
      body: 'spans',
    })
    expect(unsupported.status).toBe(415)

    const series = await scrape()
    expect(series.get('agentmeter_ingest_requests_total{status="200"}')).toBe(2)
    expect(series.get('agentmeter_ingest_requests_total{status="401"}')).toBe(1)
    expect(series.get('agentmeter_ingest_requests_total{status="415"}')).toBe(1)
    expect(series.get('agentmeter_ingest_rejects_total{reason="unauthorized"}')).toBe(1)
    expect(series.get('agentmeter_ingest_rejects_total{reason="unsupported_media_type"}')).toBe(1)
    expect(series.get('agentmeter_spans_accepted_total')).toBe(3)
    expect(series.get('agentmeter_spans_rejected_total{reason="span_limits"}')).toBe(1)
    expect(series.get('agentmeter_insert_rows_total{result="ok"}')).toBe(3)
    expect(series.get('agentmeter_insert_queue_rows')).toBe(0)
    expect(series.get('agentmeter_alert_leader')).toBe(1)

    // The histogram: one observation per insert batch, cumulative buckets ending at +Inf.
    const inserts = series.get('agentmeter_inserts_total{result="ok"}')!
    expect(inserts).toBeGreaterThanOrEqual(1)
    expect(inserts).toBeLessThanOrEqual(2)
    expect(series.get('agentmeter_insert_duration_seconds_count')).toBe(inserts)
    expect(series.get('agentmeter_insert_duration_seconds_bucket{le="+Inf"}')).toBe(inserts)
    const buckets = [...series.entries()]
      .filter(([name]) => name.startsWith('agentmeter_insert_duration_seconds_bucket'))
      .map(([, value]) => value)
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b))
    expect(series.get('agentmeter_insert_duration_seconds_sum')).toBeGreaterThan(0)
  })

  it('should count alert deliveries by result', async () => {
    const created = await callApi<{ rule: { id: string } }>(
      collector,
      'POST',
      '/api/v1/alert-rules',
      {
        name: 'ops test rule',
        type: 'task_cost',
        thresholdUsd: 1,
        channel: { type: 'webhook', url: `${receiver.url}/ops` },
      },
    )
    expect(created.status).toBe(201)
    receiver.failNext('/ops', 1, 503)
    const test = await callApi(
      collector,
      'POST',
      `/api/v1/alert-rules/${created.body.rule.id}/test`,
    )
    expect(test.status).toBe(200)
    const series = await scrape()
    expect(series.get('agentmeter_alert_deliveries_total{result="retry"}')).toBe(1)
    expect(series.get('agentmeter_alert_deliveries_total{result="delivered"}')).toBe(1)
  })

  it('should log one JSON line per request with its request id, and never the key', async () => {
    const response = await fetch(`${collector.url}/api/v1/tasks`, {
      headers: { authorization: `Bearer ${API_KEY}`, 'x-request-id': 'ops-req-1' },
    })
    expect(response.status).toBe(200)
    const records = logLines.map((line) => JSON.parse(line) as Record<string, unknown>)
    const line = records.find(
      (record) => (record.args as { requestId?: string } | undefined)?.requestId === 'ops-req-1',
    )
    expect(line).toMatchObject({
      level: 'debug',
      module: 'http',
      message: 'request',
      args: { method: 'GET', path: '/api/v1/tasks', status: 200 },
    })
    const rejected = records.find((record) => record.message === 'spans rejected')
    expect((rejected?.args as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(logLines.join('\n')).not.toContain(API_KEY)
  })
})
