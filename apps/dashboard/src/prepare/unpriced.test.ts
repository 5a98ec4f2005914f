import { describe, expect, it } from 'vitest'
import { prepareUnpriced } from './unpriced'

describe('prepareUnpriced', () => {
  it('should state the unpriced share of calls and list the models behind it', () => {
    expect(
      prepareUnpriced({
        totalCalls: 8,
        unpricedCalls: 3,
        unpricedShare: 0.375,
        models: [
          {
            provider: 'acme',
            model: 'acme-9000',
            calls: 2,
            share: 0.25,
            reason: 'model not in price catalog: acme-9000',
          },
          { provider: '', model: '', calls: 1, share: 0.125, reason: 'no model on the span' },
        ],
      }),
    ).toEqual({
      summary: '37.5% of calls (3 of 8) unpriced: their cost is missing from the totals above.',
      hasUnpriced: true,
      rows: [
        {
          key: 'acme\u0000acme-9000',
          model: 'acme-9000',
          provider: 'acme',
          calls: '2',
          share: '25.0%',
          reason: 'model not in price catalog: acme-9000',
        },
        {
          key: '\u0000',
          model: '(no model)',
          provider: '—',
          calls: '1',
          share: '12.5%',
          reason: 'no model on the span',
        },
      ],
    })
  })

  it('does say so when every call is priced, and when there are none', () => {
    const all = prepareUnpriced({ totalCalls: 4, unpricedCalls: 0, unpricedShare: 0, models: [] })
    expect(all).toMatchObject({
      summary: 'Every model call is priced (4 of 4).',
      hasUnpriced: false,
    })
    const none = prepareUnpriced({ totalCalls: 0, unpricedCalls: 0, unpricedShare: 0, models: [] })
    expect(none.summary).toBe('No model calls in this range.')
  })

  it('should write shares and counts as every other page does (one decimal, separators)', () => {
    const model = prepareUnpriced({
      totalCalls: 12_500,
      unpricedCalls: 5,
      unpricedShare: 0.0004,
      models: [{ provider: 'acme', model: 'acme-9000', calls: 5, share: 0.0004, reason: 'x' }],
    })
    expect(model.summary).toBe(
      '<0.1% of calls (5 of 12,500) unpriced: their cost is missing from the totals above.',
    )
    expect([model.rows[0]!.calls, model.rows[0]!.share]).toEqual(['5', '<0.1%'])
  })
})
