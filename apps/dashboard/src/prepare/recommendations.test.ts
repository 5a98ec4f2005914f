import { describe, expect, it } from 'vitest'
import { createTestRecommendation } from '../test-support/builders'
import { formatPoints, prepareRecommendationRows, switchKey } from './recommendations'

describe('prepareRecommendationRows', () => {
  it('should write savings with interval and evidence, quality with interval, and the sample', () => {
    const [row] = prepareRecommendationRows([createTestRecommendation()])
    expect(row).toEqual({
      key: switchKey({
        taskName: 'triage',
        step: 'classify',
        currentModel: 'gpt-4o',
        suggestedModel: 'gpt-4o-mini',
      }),
      where: 'triage · step classify',
      current: 'gpt-4o (openai)',
      suggested: 'gpt-4o-mini (openai)',
      status: 'recommended',
      statusLabel: 'Recommended',
      evidence: 'observed',
      evidenceLabel: 'observed',
      isPrior: false,
      savings: '$11.28/mo ($9.50 to $13.10), observed',
      quality: '\u22120.4 pts (\u22122.3 to +1.5)',
      confidence: '97.0%',
      sample: '600 vs 580',
      reason: 'Both models ran this step with equal outcome rates.',
      selectable: true,
      accepted: {
        taskName: 'triage',
        step: 'classify',
        currentModel: 'gpt-4o',
        suggestedModel: 'gpt-4o-mini',
        suggestedProvider: 'openai',
        outputRatio: 1.1,
      },
    })
  })

  it('should mark prior rows as not recommendations and never offer them to accept', () => {
    const [row] = prepareRecommendationRows([
      createTestRecommendation({ evidence: 'prior', status: 'recommended', neededSample: 400 }),
    ])
    expect(row).toMatchObject({
      isPrior: true,
      selectable: false,
      statusLabel: 'Prior only, not a recommendation',
      savings: '$11.28/mo ($9.50 to $13.10), prior only; if the prior holds',
      sample: '600 vs 580; needs 400 per model',
    })
  })

  it('should put recommendations first by monthly savings, then the rest in server order', () => {
    const rows = prepareRecommendationRows([
      createTestRecommendation({ step: 'a', status: 'needs_evidence', monthlySavingsUsd: 99 }),
      createTestRecommendation({ step: 'b', monthlySavingsUsd: 1 }),
      createTestRecommendation({ step: 'c', evidence: 'replay', monthlySavingsUsd: 5 }),
      createTestRecommendation({ step: 'd', status: 'not_recommended', monthlySavingsUsd: 50 }),
      createTestRecommendation({ step: 'e', evidence: 'prior', monthlySavingsUsd: 70 }),
    ])
    expect(rows.map((row) => [row.where, row.selectable, row.statusLabel])).toEqual([
      ['triage · step c', true, 'Recommended'],
      ['triage · step b', true, 'Recommended'],
      ['triage · step a', false, 'Needs evidence'],
      ['triage · step d', false, 'Not recommended'],
      ['triage · step e', false, 'Prior only, not a recommendation'],
    ])
    expect(rows[0]!.savings).toBe('$5.00/mo ($9.50 to $13.10), replay sample')
  })

  it('should leave out an unknown provider and name an unnamed task', () => {
    const [row] = prepareRecommendationRows([
      createTestRecommendation({ taskName: '', currentProvider: '', suggestedProvider: '' }),
    ])
    expect([row!.where, row!.current, row!.suggested, row!.accepted.suggestedProvider]).toEqual([
      '(unnamed task) · step classify',
      'gpt-4o',
      'gpt-4o-mini',
      undefined,
    ])
  })
})

describe('formatPoints', () => {
  it('should sign points with one decimal, half away from zero, and a true minus', () => {
    expect([
      formatPoints(2.04),
      formatPoints(-0.04),
      formatPoints(-0.05),
      formatPoints(-12.36),
      formatPoints(0),
      formatPoints(Number.NaN),
    ]).toEqual(['+2.0 pts', '0.0 pts', '\u22120.1 pts', '\u221212.4 pts', '0.0 pts', '—'])
  })
})
