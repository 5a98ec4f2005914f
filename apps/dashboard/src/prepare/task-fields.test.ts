import { describe, expect, it } from 'vitest'
import { outcomeView, taskCostText, unpricedBadge } from './task-fields'

describe('taskCostText', () => {
  it('should never write an unpriced task as $0.00', () => {
    expect([taskCostText(null, 0), taskCostText(null, 2), taskCostText(0, 3)]).toEqual([
      'unpriced',
      'unpriced',
      'unpriced',
    ])
  })

  it('should write priced amounts, partly priced ones included', () => {
    expect([taskCostText(0, 0), taskCostText(0.0000051, 1), taskCostText(1.5, 0)]).toEqual([
      '$0.00',
      '$0.0000051',
      '$1.50',
    ])
  })
})

describe('unpricedBadge', () => {
  it('should count unpriced calls, and be absent when there are none', () => {
    expect([
      unpricedBadge(0, '$0.10'),
      unpricedBadge(1, '$0.10'),
      unpricedBadge(1200, '$0.10'),
    ]).toEqual([null, '1 unpriced', '1,200 unpriced'])
  })

  it('should only count the calls beside a cost that already reads unpriced', () => {
    expect([unpricedBadge(1, 'unpriced'), unpricedBadge(2, 'unpriced')]).toEqual([
      '1 call',
      '2 calls',
    ])
  })
})

describe('outcomeView', () => {
  it('should give each outcome its tone', () => {
    expect([outcomeView('success'), outcomeView('failure'), outcomeView('')]).toEqual([
      { text: 'success', tone: 'success' },
      { text: 'failure', tone: 'failure' },
      { text: '—', tone: 'none' },
    ])
  })
})
