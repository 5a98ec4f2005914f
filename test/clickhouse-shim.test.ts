import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  ClickHouseError,
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
} from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickHouseShim, type ClickHouseShim } from './support/clickhouse-shim/server'

// The shim must speak the HTTP interface the way @clickhouse/client expects, or every server-path
// test built on it proves nothing: these check it through the real client over real HTTP.
let shim: ClickHouseShim
let client: ClickHouseClient
let dir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-shim-'))
  shim = await startClickHouseShim({ path: dir, users: { default: '', agentmeter: 's3cret' } })
  client = createClient({
    url: shim.url,
    username: 'agentmeter',
    password: 's3cret',
    // The errors below are provoked on purpose; the client need not log them.
    log: { level: ClickHouseLogLevel.OFF },
  })
  await client.command({
    query: `CREATE TABLE t (id UInt32, name String, tags Array(String), at DateTime64(3, 'UTC'))
      ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`,
  })
})

afterAll(async () => {
  await client?.close()
  await shim?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('ClickHouse HTTP shim', () => {
  it('should answer ping and report the engine version', async () => {
    expect(await client.ping()).toEqual({ success: true })
    const result = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
    expect(await result.json()).toEqual([{ v: shim.version }])
  })

  it('should insert JSONEachRow and bind param_* values exactly as sent', async () => {
    const tricky = "it's a \\ back\tslash\nline"
    await client.insert({
      table: 't',
      values: [
        { id: 1, name: tricky, tags: ["o'k", 'b\\c'], at: '2026-12-04 09:00:00.123' },
        { id: 2, name: 'plain', tags: [], at: '2026-12-04 09:00:01.000' },
      ],
      format: 'JSONEachRow',
    })
    const result = await client.query({
      query: `SELECT id, name, tags, toString(at) AS at_text FROM t
        WHERE name = {name:String} AND has({tags:Array(String)}, tags[1])
          AND at >= {from:DateTime64(3, 'UTC')}`,
      query_params: { name: tricky, tags: ["o'k", 'x'], from: new Date('2026-12-04T09:00:00Z') },
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([
      { id: 1, name: tricky, tags: ["o'k", 'b\\c'], at_text: '2026-12-04 09:00:00.123' },
    ])
  })

  it('should return the JSON format with its metadata', async () => {
    const result = await client.query({ query: 'SELECT count() AS n FROM t', format: 'JSON' })
    const body = await result.json<{ n: string }>()
    expect(body.data).toEqual([{ n: '2' }])
    expect(body.meta).toEqual([{ name: 'n', type: 'UInt64' }])
    expect(result.response_headers['x-clickhouse-format']).toBe('JSON')
  })

  it('should raise ClickHouse errors with their code, type and HTTP status', async () => {
    const error = await client
      .query({ query: 'SELECT * FROM missing_table', format: 'JSONEachRow' })
      .catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ClickHouseError)
    expect((error as ClickHouseError).code).toBe('60')
    expect((error as ClickHouseError).type).toBe('UNKNOWN_TABLE')
    expect(shim.log.at(-1)?.status).toBe(404)

    const parse = await client
      .insert({ table: 't', values: [{ id: 'not a number' }], format: 'JSONEachRow' })
      .catch((err: unknown) => err)
    expect((parse as ClickHouseError).type).toMatch(/^CANNOT_PARSE/)
  })

  it('should refuse a wrong password with AUTHENTICATION_FAILED', async () => {
    const intruder = createClient({
      url: shim.url,
      username: 'agentmeter',
      password: 'wrong',
      log: { level: ClickHouseLogLevel.OFF },
    })
    const error = await intruder.query({ query: 'SELECT 1' }).catch((err: unknown) => err)
    expect((error as ClickHouseError).code).toBe('516')
    expect((error as ClickHouseError).type).toBe('AUTHENTICATION_FAILED')
    await intruder.close()
  })

  it('should apply a setting to its own request only', async () => {
    const row = { id: 10, name: 'dedup', tags: [], at: '2026-12-04 10:00:00' }
    const settings = { insert_deduplication_token: 'batch-10' }
    for (let i = 0; i < 3; i++) {
      await client.insert({
        table: 't',
        values: [row],
        format: 'JSONEachRow',
        clickhouse_settings: settings,
      })
    }
    // Without a token, the next insert must not inherit "batch-10" and be dropped.
    await client.insert({ table: 't', values: [{ ...row, id: 11 }], format: 'JSONEachRow' })
    const result = await client.query({
      query: 'SELECT id, count() AS n FROM t WHERE id >= 10 GROUP BY id ORDER BY id',
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([
      { id: 10, n: '1' },
      { id: 11, n: '1' },
    ])
    const token = await client.query({
      query: "SELECT getSetting('insert_deduplication_token') AS token",
      format: 'JSONEachRow',
    })
    expect(await token.json()).toEqual([{ token: '' }])
  })

  it('should take gzip request bodies and send gzip responses when asked', async () => {
    const gzipped = createClient({
      url: shim.url,
      username: 'agentmeter',
      password: 's3cret',
      compression: { request: true, response: true },
    })
    await gzipped.insert({
      table: 't',
      values: [{ id: 20, name: 'zipped', tags: ['z'], at: '2026-12-04 11:00:00' }],
      format: 'JSONEachRow',
    })
    const result = await gzipped.query({
      query: 'SELECT name FROM t WHERE id = {id:UInt32}',
      query_params: { id: 20 },
      format: 'JSONEachRow',
    })
    expect(await result.json()).toEqual([{ name: 'zipped' }])
    await gzipped.close()
  })

  it('should answer a malformed request with an error, not a crash', async () => {
    const response = await fetch(`${shim.url}/?param_bad-name=1`, {
      method: 'POST',
      body: 'SELECT 1',
      headers: { authorization: `Basic ${Buffer.from('default:').toString('base64')}` },
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-clickhouse-exception-code')).toBe('36')
    expect(await client.ping()).toEqual({ success: true })
  })
})
