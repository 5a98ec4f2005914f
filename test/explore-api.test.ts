import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXPLORE_COSTS, ingestExploreBatches, type ExploreBatch } from './support/explore-spans'
import { clearOfUtcMidnight } from './support/utc-day'
import { createTestCollector, type TestCollector } from './support/test-collector'

// Loosely typed answers: each assertion below pins the exact value it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

let collector: TestCollector
let batches: ExploreBatch[]
const now = new Date()
const from = new Date(now.getTime() - 2 * 60 * 60_000).toISOString()
const wide = new Date(now.getTime() - 4 * 60 * 60_000).toISOString()
const to = new Date(now.getTime() + 60_000).toISOString()

beforeAll(async () => {
  collector = await createTestCollector()
  batches = await ingestExploreBatches(collector.url, collector.apiKey, now)
})

afterAll(async () => {
  await collector?.close()
})

function close(actual: unknown, expected: number) {
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-12)
}

async function put(path: string, body: unknown, key = collector.apiKey) {
  const response = await fetch(`${collector.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('Explore filters on the existing routes', () => {
  it('should narrow /costs and /tasks by service, environment, step, model and tag', async () => {
    const costs = await collector.api<{ rows: Array<{ key: string; costUsd: number }> }>(
      `/api/v1/costs?from=${wide}&to=${to}&service=svc-b`,
    )
    expect(costs.body.rows).toMatchObject([{ key: 'report', costUsd: EXPLORE_COSTS.report }])
    const ids = async (query: string) =>
      (
        await collector.api<{ tasks: Array<{ taskId: string }> }>(
          `/api/v1/tasks?from=${wide}&to=${to}&${query}`,
        )
      ).body.tasks
        .map((task) => task.taskId)
        .sort()
    expect(await ids('environment=staging')).toEqual(['ee05'])
    expect(await ids('step=summarize')).toEqual(['ee05'])
    expect(await ids('model=gpt-4o-mini')).toEqual(['ee05'])
    expect(await ids(`tag=${encodeURIComponent('customer.id=acme')}`)).toEqual(['ee05'])
    expect(await ids('tag=team%3Dsupport&name=triage')).toEqual(['ee01', 'ee02', 'ee03', 'ee04'])
    expect(await ids('model=acme-9000&service=svc-a')).toEqual(['ee06'])
  })

  it('should refuse a tag without a value, naming the parameter', async () => {
    const { status, body } = await collector.api<{ error: string }>('/api/v1/tasks?tag=team')
    expect(status).toBe(400)
    expect(body.error).toBe(
      'tag must be an attribute key and value such as team=support, got "team"',
    )
  })
})

describe('GET /api/v1/overview', () => {
  it('should give totals, per-task figures, top lists, unpriced share and a forecast', async () => {
    // Today and the month are the route's, from its own clock: read this one just before, clear
    // of a midnight the request could straddle.
    await clearOfUtcMidnight(10_000)
    const asked = new Date()
    const { status, body } = await collector.api<Json>(`/api/v1/overview?from=${wide}&to=${to}`)
    expect(status).toBe(200)
    close(body.costUsd, EXPLORE_COSTS.total)
    expect([
      body.tasks,
      body.successfulTasks,
      body.unpricedOnlyTasks,
      body.unpricedOnlySuccessfulTasks,
    ]).toEqual([6, 5, 1, 1])
    // Both over the five tasks with a known spend: the mystery task (a success of unknown
    // spend) is in neither count.
    close(body.costPerTaskUsd, EXPLORE_COSTS.total / 5)
    // All the spend per success, the failed task's $0.0075 included (as the cost rows count it),
    // over the four successes of known spend.
    close(body.costPerSuccessfulTaskUsd, EXPLORE_COSTS.total / 4)
    expect(body.unpriced).toEqual({ calls: 1, totalCalls: 7, share: 1 / 7 })
    expect(body.topTaskTypes).toEqual([
      { name: 'triage', tasks: 4, costUsd: 0.04, unpricedCalls: 0 },
      { name: 'report', tasks: 1, costUsd: EXPLORE_COSTS.report, unpricedCalls: 0 },
      // Its only call is unpriced: an unknown spend, not $0.
      { name: 'mystery', tasks: 1, costUsd: null, unpricedCalls: 1 },
    ])
    expect(body.topModels.slice(0, 2)).toEqual([
      { provider: 'openai', model: 'gpt-4o', calls: 5, costUsd: 0.04, unpricedCalls: 0 },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        calls: 1,
        costUsd: EXPLORE_COSTS.report,
        unpricedCalls: 0,
      },
    ])
    expect(
      body.tasksPerDay.reduce((sum: number, day: { tasks: number }) => sum + day.tasks, 0),
    ).toBe(6)

    // Today and month to date follow the UTC calendar, whatever time the test runs.
    const costOf: Record<string, number> = {
      ee01: 0.0075,
      ee02: 0.0075,
      ee03: 0.015,
      ee04: 0.01,
      ee05: EXPLORE_COSTS.report,
      ee06: 0,
    }
    const starts = Object.assign({}, ...batches.map((batch) => batch.starts)) as Record<
      string,
      Date
    >
    const dayStart = Date.UTC(asked.getUTCFullYear(), asked.getUTCMonth(), asked.getUTCDate())
    const monthStart = Date.UTC(asked.getUTCFullYear(), asked.getUTCMonth(), 1)
    const since = (start: number) =>
      Object.entries(costOf)
        .filter(([id]) => starts[id]!.getTime() >= start)
        .reduce((sum, [, cost]) => sum + cost, 0)
    close(body.todayUsd, since(dayStart))
    close(body.monthToDateUsd, since(monthStart))
    // All data is from the last hours: no complete day to measure a run rate on.
    expect(body.forecast.costUsd).toBeNull()
    expect(body.forecast.method).toContain('needs at least one complete UTC day')
  }, 90_000)

  it('should apply the filters to every figure', async () => {
    const { body } = await collector.api<Json>(
      `/api/v1/overview?from=${wide}&to=${to}&service=svc-b`,
    )
    expect([body.costUsd, body.tasks, body.unpriced.totalCalls]).toEqual([
      EXPLORE_COSTS.report,
      1,
      1,
    ])
    expect(body.topTaskTypes).toEqual([
      { name: 'report', tasks: 1, costUsd: EXPLORE_COSTS.report, unpricedCalls: 0 },
    ])
  })
})

describe('dimension settings and GET /api/v1/showback', () => {
  it('should answer unmapped dimensions with one unattributed row', async () => {
    const { body } = await collector.api<Json>(
      `/api/v1/showback?groupBy=team&from=${wide}&to=${to}`,
    )
    expect(body.mapping).toBeNull()
    expect(body.rows).toEqual([
      { key: '', costUsd: EXPLORE_COSTS.total, tasks: 6, unpricedCalls: 1, share: 1 },
    ])
  })

  it('should store a mapping and group spend by it, exactly', async () => {
    const saved = await put('/api/v1/settings/dimensions', {
      dimensions: [
        { dimension: 'team', source: 'resource', attributeKey: 'team' },
        { dimension: 'customer', source: 'span', attributeKey: 'customer.id' },
      ],
    })
    expect(saved.status).toBe(200)
    expect(saved.body.dimensions).toEqual([
      { dimension: 'team', source: 'resource', attributeKey: 'team' },
      { dimension: 'customer', source: 'span', attributeKey: 'customer.id' },
      { dimension: 'feature', source: 'any', attributeKey: null },
    ])
    const team = await collector.api<Json>(`/api/v1/showback?groupBy=team&from=${wide}&to=${to}`)
    expect(team.body.mapping).toEqual({ source: 'resource', attributeKey: 'team' })
    expect(team.body.totalCostUsd).toBe(EXPLORE_COSTS.total)
    expect(team.body.rows).toEqual([
      {
        key: 'support',
        costUsd: 0.04,
        tasks: 5,
        unpricedCalls: 1,
        share: 0.04 / EXPLORE_COSTS.total,
      },
      {
        key: 'research',
        costUsd: EXPLORE_COSTS.report,
        tasks: 1,
        unpricedCalls: 0,
        share: EXPLORE_COSTS.report / EXPLORE_COSTS.total,
      },
    ])
    const customer = await collector.api<Json>(
      `/api/v1/showback?groupBy=customer&from=${wide}&to=${to}&split=month`,
    )
    // The tasks without a customer (triage, and mystery whose spend is unknown) per UTC month
    // of their start: one month, or two when the suite runs in the first hours of a month.
    const starts = Object.assign({}, ...batches.map((batch) => batch.starts)) as Record<
      string,
      Date
    >
    const noCustomer = { ee01: 0.0075, ee02: 0.0075, ee03: 0.015, ee04: 0.01, ee06: null }
    const byMonth = new Map<string, number | null>()
    for (const [id, cost] of Object.entries(noCustomer)) {
      const month = starts[id]!.toISOString().slice(0, 7)
      const sum = byMonth.get(month) ?? null
      byMonth.set(month, cost === null ? sum : (sum ?? 0) + cost)
    }
    const rows = customer.body.rows.filter((row: Json) => row.key === '')
    expect(rows.map((row: Json) => row.month).sort()).toEqual([...byMonth.keys()].sort())
    for (const row of rows) {
      const expected = byMonth.get(row.month)!
      if (expected === null) expect(row.costUsd).toBeNull()
      else close(row.costUsd, expected)
    }
    expect(customer.body.rows).toContainEqual(
      expect.objectContaining({ key: 'acme', costUsd: EXPLORE_COSTS.report }),
    )
    const environment = await collector.api<Json>(
      `/api/v1/showback?groupBy=environment&from=${wide}&to=${to}&model=gpt-4o`,
    )
    expect(environment.body.rows).toEqual([
      { key: 'prod', costUsd: 0.04, tasks: 4, unpricedCalls: 0, share: 1 },
    ])
  })

  it('should refuse bad mappings and keys without the admin scope', async () => {
    const bad = await put('/api/v1/settings/dimensions', {
      dimensions: [{ dimension: 'region', attributeKey: 'x' }],
    })
    expect(bad).toEqual({
      status: 400,
      body: {
        error: 'dimensions[0].dimension must be one of team, customer, feature, got "region"',
      },
    })
    const project = await collector.projects.ensureProject('test-project')
    const readKey = await collector.projects.createKey(project.id, ['read'])
    const denied = await put(
      '/api/v1/settings/dimensions',
      { dimensions: [{ dimension: 'team', attributeKey: 'x' }] },
      readKey,
    )
    expect(denied.status).toBe(403)
  })
})

describe('GET /api/v1/regressions', () => {
  type Parts = Record<string, number>
  const sum = (parts: Parts) => Object.values(parts).reduce((a, b) => a + b, 0)

  it('should compare cost per task with the previous period and explain the change', async () => {
    const { status, body } = await collector.api<Json>(`/api/v1/regressions?from=${from}&to=${to}`)
    expect(status).toBe(200)
    expect(body.method).toContain('Chained substitution')
    const triage = body.rows.find((row: Json) => row.taskName === 'triage')
    close(triage.baselineCostPerTaskUsd, 0.0075)
    close(triage.costPerTaskUsd, 0.0125)
    close(triage.changeUsd, 0.005)
    // 1 → 1.5 calls a task at $0.0075 a call; 1000 → 1333⅓ input tokens a call at $2.50 / M.
    close(triage.parts.callsPerTask, 0.00375)
    close(triage.parts.promptLength, 0.00125)
    close(triage.parts.modelMix, 0)
    close(triage.parts.cacheHits, 0)
    close(triage.parts.outputAndOther, 0)
    close(sum(triage.parts), triage.changeUsd)
    expect([triage.current.tasks, triage.baseline.tasks, triage.current.callsPerTask]).toEqual([
      2, 2, 1.5,
    ])
    const report = body.rows.find((row: Json) => row.taskName === 'report')
    expect([report.baseline, report.changeUsd, report.parts]).toEqual([null, null, null])
  })

  it('should compare releases by service.version', async () => {
    const { body } = await collector.api<Json>(
      `/api/v1/regressions?from=${wide}&to=${to}&compare=version&name=triage`,
    )
    expect(body.rows).toHaveLength(2)
    const release = body.rows.find((row: Json) => row.current.group === '1.1')
    expect(release.baseline.group).toBe('1.0')
    close(release.changeUsd, 0.005)
    close(sum(release.parts), release.changeUsd)
  })
})

describe('OpenAPI', () => {
  it('should document the Explore routes and their filters', async () => {
    const { body } = await collector.api<{ paths: Json }>('/api/v1/openapi.json')
    for (const path of ['/api/v1/overview', '/api/v1/showback', '/api/v1/regressions']) {
      const names = body.paths[path].get.parameters.map((param: { name: string }) => param.name)
      expect(names).toEqual(expect.arrayContaining(['from', 'to', 'name', 'model', 'tag']))
    }
    expect(Object.keys(body.paths['/api/v1/settings/dimensions'])).toEqual(['get', 'put'])
  })
})
