import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { picoToUsd } from '@agentmeter/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStoreClient, type StoreClient } from '../client'
import { migrate } from '../migrations'
import { queryCosts } from './costs'
import { TASK_AGGREGATE_SQL } from './task-aggregate'

/**
 * Costs are Decimal(38, 12) from the row to the last sum. A million spans, generated inside
 * ClickHouse with awkward 12-digit costs, must sum to exactly the sum of their parts, per task
 * and in total, through the same aggregate the API uses.
 */
const SPANS = 1_000_000
const TASKS = 1000
const RANGE = { from: '2026-11-01 00:00:00.000', to: '2026-11-02 00:00:00.000' }

/** Span n's cost in pico-dollars: spread over 1..~1e9, so every digit of the scale is used. */
const picoOf = (n: bigint) => ((n * 7919n) % 1_000_003n) * 997n + 123n

let store: StoreClient
let dataDir: string

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-sums-'))
  store = await openStoreClient({ dataDir })
  await migrate(store.client)
  await store.client.command({
    query: `INSERT INTO spans (project_id, trace_id, span_id, task_id, task_name, is_task_root,
        kind, start_time, end_time, usage_known, input_tokens, output_tokens, priced, cost_usd,
        price_source)
      SELECT 'p1', concat('t', toString(number % ${TASKS})), hex(number),
        concat('task-', toString(number % ${TASKS})), 'million', false, 'llm',
        toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(number % 80000000),
        toDateTime64('2026-11-01 00:00:00', 9, 'UTC') + toIntervalMillisecond(number % 80000000),
        true, 10, 5, true,
        toDecimal128(concat('0.', leftPad(toString(((number * 7919) % 1000003) * 997 + 123), 12, '0')), 12),
        'computed'
      FROM numbers(${SPANS})`,
  })
}, 600_000)

afterAll(async () => {
  await store?.client.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('decimal sums over a million spans', () => {
  it('should sum every task and the total to exactly the sum of the parts', async () => {
    const expectedPerTask = new Map<string, bigint>()
    let expectedTotal = 0n
    for (let n = 0n; n < BigInt(SPANS); n++) {
      const pico = picoOf(n)
      const task = `task-${n % BigInt(TASKS)}`
      expectedPerTask.set(task, (expectedPerTask.get(task) ?? 0n) + pico)
      expectedTotal += pico
    }

    const result = await store.client.query({
      query: `SELECT task_id, toString(cost) AS cost, toString(llm_calls) AS calls
        FROM (${TASK_AGGREGATE_SQL}) ORDER BY task_id`,
      query_params: { projectId: 'p1', ...RANGE },
      format: 'JSONEachRow',
    })
    const tasks = await result.json<{ task_id: string; cost: string; calls: string }>()
    expect(tasks).toHaveLength(TASKS)
    let sumOfTasks = 0n
    for (const task of tasks) {
      expect(task.calls).toBe(String(SPANS / TASKS))
      expect(task.cost).toBe(trim(picoToUsd(expectedPerTask.get(task.task_id)!)))
      sumOfTasks += expectedPerTask.get(task.task_id)!
    }
    expect(sumOfTasks).toBe(expectedTotal)

    const total = await store.client.query({
      query: `SELECT toString(sum(cost)) AS total FROM (${TASK_AGGREGATE_SQL})`,
      query_params: { projectId: 'p1', ...RANGE },
      format: 'JSONEachRow',
    })
    const [{ total: stored } = { total: '' }] = await total.json<{ total: string }>()
    expect(stored).toBe(trim(picoToUsd(expectedTotal)))

    // The API's grouping reads the same exact sum; it becomes a JSON number only at the edge.
    const [row] = await queryCosts(store.client, {
      projectId: 'p1',
      range: RANGE,
      groupBy: 'task_name',
    })
    expect(row).toMatchObject({ key: 'million', tasks: TASKS, costUsd: Number(stored) })
  })
})

/** ClickHouse prints decimals without trailing zeros. */
function trim(decimal: string): string {
  return decimal.replace(/\.?0+$/, '')
}
