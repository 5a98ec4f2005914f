import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postSpans, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Cursor paging of `GET /api/v1/tasks`: exact rows on every page, ties on the start time broken
 * by task id, tasks stored between two pages shifting no row, and every page still bounded by
 * the key's project and the time range. Starts are given to the nanosecond.
 */
const ADMIN_TOKEN = 'paging-test-admin-token-0123456789'
let collector: TestCollector
let keyB = ''

/** Nanoseconds since the epoch of 2026-11-20 00:00 UTC plus `hours`, plus `nanos`. */
const T0 = BigInt(Date.UTC(2026, 10, 20)) * 1_000_000n
const at = (hours: number, nanos = 0n) => T0 + BigInt(hours * 3600) * 1_000_000_000n + nanos
const iso = (hours: number) => new Date(Date.UTC(2026, 10, 20) + hours * 3_600_000).toISOString()

function taskRoot(taskId: string, start: bigint): JsonSpanInput {
  return {
    traceId: Buffer.from(taskId.padEnd(16, '.')).toString('hex').slice(0, 32),
    spanId: 'f'.repeat(16),
    name: 'paged',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000_000n),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'paged',
    },
  }
}

const TIE = at(2)
const BASE: Array<[string, bigint]> = [
  ['p-07', at(0)],
  ['p-06', at(1)],
  ['p-05', TIE - 1n],
  ['p-04', TIE],
  ['p-02', TIE],
  ['p-03', TIE],
  ['p-01', at(3)],
]

async function store(key: string, tasks: Array<[string, bigint]>): Promise<void> {
  const spans = tasks.map(([taskId, start]) => taskRoot(taskId, start))
  await postSpans(collector.url, key, spans, Number.POSITIVE_INFINITY)
}

interface Page {
  status: number
  body: { tasks?: Array<{ taskId: string; startTime: string }>; nextCursor?: string | null }
}

async function page(query: Record<string, string>, key = collector.apiKey): Promise<Page> {
  const response = await fetch(`${collector.url}/api/v1/tasks?${new URLSearchParams(query)}`, {
    headers: { authorization: `Bearer ${key}` },
  })
  return { status: response.status, body: (await response.json()) as Page['body'] }
}

/** Every page of a query, as task ids, following the cursors to the end. */
async function allPages(query: Record<string, string>): Promise<string[][]> {
  const pages: string[][] = []
  let cursor: string | null | undefined
  do {
    const { status, body } = await page(cursor ? { ...query, cursor } : query)
    expect(status).toBe(200)
    pages.push(body.tasks!.map((task) => task.taskId))
    cursor = body.nextCursor
  } while (cursor)
  return pages
}

const RANGE = { from: iso(0), to: iso(6) }

beforeAll(async () => {
  collector = await createTestCollector({
    env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN, AGENTMETER_ROLLUP_INTERVAL_MS: '0' },
  })
  const created = await fetch(`${collector.url}/api/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'other-project' }),
  })
  keyB = ((await created.json()) as { key: string }).key
  await store(collector.apiKey, BASE)
  // Another project's tasks at the same instants, one of them tied with A's.
  await store(keyB, [
    ['b-01', TIE],
    ['b-02', at(1)],
  ])
})

afterAll(async () => {
  await collector?.close()
})

describe('task list paging', () => {
  it('should page through exact rows, ties on the start broken by task id, to a null cursor', async () => {
    expect(await allPages({ ...RANGE, limit: '2' })).toEqual([
      ['p-01', 'p-02'],
      ['p-03', 'p-04'],
      ['p-05', 'p-06'],
      ['p-07'],
    ])
    expect(await allPages({ ...RANGE, limit: '3' })).toEqual([
      ['p-01', 'p-02', 'p-03'],
      ['p-04', 'p-05', 'p-06'],
      ['p-07'],
    ])
    // p-05 starts one nanosecond before the tie, and is listed after it.
    const { body } = await page({ ...RANGE, limit: '7' })
    expect(body.tasks!.map((task) => [task.taskId, task.startTime]).slice(3, 5)).toEqual([
      ['p-04', '2026-11-20T02:00:00.000Z'],
      ['p-05', '2026-11-20T01:59:59.999Z'],
    ])
    expect(body.nextCursor).toBeNull()
  })

  it('should keep the answer without a cursor as it was: the newest tasks up to the limit', async () => {
    const first = await page({ ...RANGE, limit: '3' })
    expect(first.body.tasks!.map((task) => task.taskId)).toEqual(['p-01', 'p-02', 'p-03'])
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/)
    const all = await page(RANGE)
    expect(all.body.tasks!.map((task) => task.taskId)).toEqual(BASE.map(([id]) => id).sort())
    expect(all.body.nextCursor).toBeNull()
  })

  it('should bound every page by the time range and the key’s project', async () => {
    expect(await allPages({ from: iso(1), to: iso(2), limit: '2' })).toEqual([
      ['p-02', 'p-03'],
      ['p-04', 'p-05'],
      ['p-06'],
    ])
    const theirs = await page({ ...RANGE, limit: '1' }, keyB)
    expect(theirs.body.tasks!.map((task) => task.taskId)).toEqual(['b-01'])
    const next = await page({ ...RANGE, limit: '1', cursor: theirs.body.nextCursor! }, keyB)
    expect(next.body).toEqual({
      tasks: [expect.objectContaining({ taskId: 'b-02' })],
      nextCursor: null,
    })
    // A's cursor under B's key is only a place in B's list: B's tasks after it, nothing of A's.
    // (After p-02: b-01 ties with it on the start but sorts before it by id.)
    const mine = await page({ ...RANGE, limit: '2' })
    const crossed = await page({ ...RANGE, limit: '10', cursor: mine.body.nextCursor! }, keyB)
    expect(crossed.body.tasks!.map((task) => task.taskId)).toEqual(['b-02'])
  })

  it('should shift no row between pages when tasks are stored meanwhile, from the rollups too', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const first = await page({ ...RANGE, limit: '2' })
    expect(first.body.tasks!.map((task) => task.taskId)).toEqual(['p-01', 'p-02'])
    // Newer than the cursor, tied with it before and after its id, and older than every page.
    await store(collector.apiKey, [
      ['p-00', at(4)],
      ['p-015', TIE],
      ['p-025', TIE],
      ['p-08', at(0.5)],
    ])
    const rest: string[][] = []
    let cursor = first.body.nextCursor
    while (cursor) {
      const { body } = await page({ ...RANGE, limit: '2', cursor })
      rest.push(body.tasks!.map((task) => task.taskId))
      cursor = body.nextCursor
    }
    expect(rest).toEqual([['p-025', 'p-03'], ['p-04', 'p-05'], ['p-06', 'p-08'], ['p-07']])
    // Once the rollups hold them too, the pages are the same.
    await collector.rollups.refreshNow({ settleMillis: 0 })
    expect(await allPages({ ...RANGE, limit: '4' })).toEqual([
      ['p-00', 'p-01', 'p-015', 'p-02'],
      ['p-025', 'p-03', 'p-04', 'p-05'],
      ['p-06', 'p-08', 'p-07'],
    ])
  })

  it('should refuse a cursor it did not make, naming the field and the value', async () => {
    const forged = Buffer.from('{"start":"yesterday"}').toString('base64url')
    for (const cursor of ['not a cursor!', forged]) {
      expect(await page({ ...RANGE, cursor })).toEqual({
        status: 400,
        body: {
          error: `cursor must be the nextCursor of an earlier page of this list, got ${JSON.stringify(cursor)}`,
        },
      })
    }
  })
})
