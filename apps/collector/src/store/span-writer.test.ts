import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { OtlpSpan } from '@agentmeter/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeBatch } from '../ingest/ingest-spans'
import { createLogger } from '../logger'
import { openStoreClient, rawInsertOf, type StoreClient } from './client'
import { migrate } from './migrations'
import type { SpanRecord } from './span-record'
import { SpanWriter } from './span-writer'

const logger = createLogger('silent')
let dir: string
let store: StoreClient

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-writer-'))
  store = await openStoreClient({ dataDir: path.join(dir, 'chdb') })
  await migrate(store.client)
})

afterAll(async () => {
  await store?.client.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** `count` chat spans of one trace in project `project`, with a prompt-like attribute. */
function records(project: string, trace: number, count: number): SpanRecord[] {
  const spans: OtlpSpan[] = Array.from({ length: count }, (_, i) => ({
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: `1764835200${String(i).padStart(2, '0')}0000000`,
    endTimeUnixNano: '1764835300000000000',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1000 + i,
      'gen_ai.usage.output_tokens': 100,
      'gen_ai.request.stop_sequences': ['\n\n', 'tab\there', 'quote " and \\ backslash'],
      'app.note': 'línea\nnueva — ünïcode ✓',
    },
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: { 'service.name': 'writer-test' },
    scopeName: '',
    scopeVersion: '',
  }))
  return normalizeBatch({ spans, rejected: [] }, project).records
}

async function stored(project: string) {
  const result = await store.client.query({
    query: `SELECT span_id, toString(input_tokens) AS input_tokens, toString(cost_usd) AS cost_usd,
        toString(start_time) AS start_time, attributes['app.note'] AS note,
        attributes['gen_ai.request.stop_sequences'] AS stops,
        resource_attributes['service.name'] AS service
      FROM spans FINAL WHERE project_id = {project:String} ORDER BY span_id`,
    query_params: { project },
    format: 'JSONEachRow',
  })
  return result.json<Record<string, string>>()
}

describe('SpanWriter on the embedded engine', () => {
  it('should hand the rows to the engine as bytes and store them exactly', async () => {
    expect(rawInsertOf(store.client)).toBeDefined()
    const writer = new SpanWriter(store.client, logger)
    await writer.write(records('p-bytes', 1, 3))
    const rows = await stored('p-bytes')
    expect(rows).toEqual([
      {
        span_id: '0000000000000001',
        input_tokens: '1000',
        cost_usd: '0.0035',
        start_time: '2025-12-04 08:00:00.000000000',
        note: 'línea\nnueva — ünïcode ✓',
        stops: '["\\n\\n","tab\\there","quote \\" and \\\\ backslash"]',
        service: 'writer-test',
      },
      {
        span_id: '0000000000000002',
        input_tokens: '1001',
        cost_usd: '0.0035025',
        start_time: '2025-12-04 08:00:00.010000000',
        note: 'línea\nnueva — ünïcode ✓',
        stops: '["\\n\\n","tab\\there","quote \\" and \\\\ backslash"]',
        service: 'writer-test',
      },
      {
        span_id: '0000000000000003',
        input_tokens: '1002',
        cost_usd: '0.003505',
        start_time: '2025-12-04 08:00:00.020000000',
        note: 'línea\nnueva — ünïcode ✓',
        stops: '["\\n\\n","tab\\there","quote \\" and \\\\ backslash"]',
        service: 'writer-test',
      },
    ])
  })

  it('should store every request exactly once with two insert lanes', async () => {
    const writer = new SpanWriter(store.client, logger, {
      lanes: 2,
      // Two requests per insert at most: the second lane starts for the second request (alone
      // in the queue then), and leaves once the other fourteen wait.
      maxBatchRows: 10,
    })
    const acked: number[] = []
    await Promise.all(
      Array.from({ length: 16 }, (_, trace) =>
        writer.write(records('p-lanes', trace + 1, 5)).then(() => acked.push(trace)),
      ),
    )
    await writer.flush()
    expect(acked.sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i))
    const result = await store.client.query({
      query: `SELECT toString(count()) AS n, toString(sum(input_tokens)) AS tokens
        FROM spans WHERE project_id = 'p-lanes'`,
      format: 'JSONEachRow',
    })
    // 16 requests x 5 spans, tokens 1000..1004 each: no row lost, none stored twice.
    expect(await result.json()).toEqual([{ n: '80', tokens: String(16 * 5010) }])
  })

  it('should reject a batch the engine refuses with the engine code, as client.insert does', async () => {
    const writer = new SpanWriter(store.client, logger)
    const bad = records('p-bad', 1, 1).map((row) => ({ ...row, input_tokens: 'many' }))
    const err = (await writer.write(bad).catch((e: unknown) => e)) as {
      code?: string
      type?: string
    }
    expect(err).toBeInstanceOf(Error)
    expect(err.code).toBe('27')
    expect(err.type).toBe('CANNOT_PARSE_INPUT_ASSERTION_FAILED')
    expect(await stored('p-bad')).toEqual([])
  })
})
