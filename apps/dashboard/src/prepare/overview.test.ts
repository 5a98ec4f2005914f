import { describe, expect, it } from 'vitest'
import type { Overview } from '../api/explore'
import { prepareOverview } from './overview'

const base: Overview = {
  todayUsd: 0,
  monthToDateUsd: 12.5,
  todayUnpricedCalls: 0,
  monthToDateUnpricedCalls: 0,
  forecast: {
    method: 'Month to date + mean …',
    costUsd: 40,
    lowUsd: 30,
    highUsd: 50,
    runRateUsdPerDay: 1,
    daysMeasured: 7,
    month: '2026-12',
    unpricedCalls: 0,
  },
  costUsd: 3,
  tasks: 4,
  successfulTasks: 2,
  unpricedOnlyTasks: 1,
  unpricedOnlySuccessfulTasks: 0,
  costPerTaskUsd: 1,
  costPerSuccessfulTaskUsd: 1.5,
  tasksPerDay: [{ day: '2026-12-03', tasks: 4, successfulTasks: 2, costUsd: 3, unpricedCalls: 1 }],
  topTaskTypes: [{ name: '', tasks: 4, costUsd: 3, unpricedCalls: 1 }],
  topModels: [{ provider: 'openai', model: 'gpt-4o', calls: 9, costUsd: 3, unpricedCalls: 0 }],
  unpriced: { calls: 1, totalCalls: 10, share: 0.1 },
}
const window = { from: '2026-12-02T10:00:00Z', to: '2026-12-04T10:00:00Z' }

describe('prepareOverview', () => {
  it('should write the headline figures with the forecast interval and method', () => {
    const model = prepareOverview(base, window)
    expect(model.cards.map((card) => [card.id, card.value, card.detail])).toEqual([
      ['today', '$0.00', ''],
      ['month', '$12.50', '2026-12'],
      ['forecast', '$40.00', '$30.00 – $50.00 (95%). Month to date + mean …'],
      ['cost-per-task', '$1.00', '4 tasks; 1 without any price left out'],
      ['cost-per-success', '$1.50', '2 succeeded'],
      ['unpriced', '10.0%', '1 of 10 calls'],
    ])
  })

  it('should say how many successes of unknown spend cost per successful task leaves out', () => {
    // Of four tasks one succeeded with every call unpriced: $3 over the other success.
    const model = prepareOverview(
      { ...base, unpricedOnlySuccessfulTasks: 1, costPerSuccessfulTaskUsd: 3 },
      window,
    )
    expect(model.cards.find((card) => card.id === 'cost-per-success')).toMatchObject({
      value: '$3.00',
      detail: '2 succeeded; 1 without any price left out',
    })
  })

  it('should say how many unpriced calls today, the month and the forecast leave out', () => {
    const model = prepareOverview(
      {
        ...base,
        todayUsd: null,
        todayUnpricedCalls: 1,
        monthToDateUnpricedCalls: 12,
        forecast: { ...base.forecast, unpricedCalls: 1200 },
      },
      window,
    )
    expect(model.cards.slice(0, 3).map((card) => [card.value, card.unpriced])).toEqual([
      ['unpriced', '+ 1 unpriced call'],
      ['$12.50', '+ 12 unpriced calls'],
      ['$40.00', '+ 1,200 unpriced calls left out of its days'],
    ])
    expect(model.cards.slice(3).map((card) => card.unpriced)).toEqual([null, null, null])
    // A priced zero beside unpriced calls is not a free month.
    const zero = prepareOverview(
      { ...base, monthToDateUsd: 0, monthToDateUnpricedCalls: 2 },
      window,
    )
    expect(zero.cards[1]!.value).toBe('unpriced')
  })

  it('does write a missing forecast, cost per task and share as a dash, never $0', () => {
    const model = prepareOverview(
      {
        ...base,
        forecast: { ...base.forecast, costUsd: null, lowUsd: null, highUsd: null },
        costPerTaskUsd: null,
        costPerSuccessfulTaskUsd: null,
        unpricedOnlyTasks: 0,
        unpriced: { calls: 0, totalCalls: 0, share: null },
      },
      window,
    )
    expect(model.cards.map((card) => card.value)).toEqual(['$0.00', '$12.50', '—', '—', '—', '—'])
    expect(model.cards[2]!.detail).toBe('Month to date + mean …')
  })

  it('should show a forecast without its interval when only one day was measured', () => {
    const model = prepareOverview(
      { ...base, forecast: { ...base.forecast, costUsd: 0.0000051, lowUsd: null, highUsd: 50 } },
      window,
    )
    expect([model.cards[2]!.value, model.cards[2]!.detail]).toEqual([
      '$0.0000051',
      'Month to date + mean …',
    ])
  })

  it('should give every day of the window a bar, zero where no task ran', () => {
    const model = prepareOverview(base, window)
    expect(model.days.map((day) => [day.day, day.label, day.tasks, day.costUsd])).toEqual([
      ['2026-12-02', 'Dec 2', 0, 0],
      ['2026-12-03', 'Dec 3', 4, 3],
      ['2026-12-04', 'Dec 4', 0, 0],
    ])
    expect(model.topTaskTypes[0]).toEqual({
      name: '',
      label: '(unnamed)',
      tasks: '4',
      cost: '$3.00',
      costUsd: 3,
    })
  })
})
