import { describe, expect, it } from 'vitest'
import { createTestRecommendation } from '../test-support/builders'
import {
  formatPoints,
  prepareRecommendationGroups,
  prepareRecommendationRows,
  recommendationSummary,
  switchKey,
} from './recommendations'

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

  it('should tell the sample a decision needs only where the evidence is insufficient', () => {
    const rows = prepareRecommendationRows([
      createTestRecommendation({ step: 'a', status: 'recommended', neededSample: 418 }),
      createTestRecommendation({ step: 'b', status: 'needs_evidence', neededSample: 418 }),
      createTestRecommendation({ step: 'c', status: 'not_recommended', neededSample: 418 }),
      createTestRecommendation({ step: 'd', evidence: 'prior', neededSample: 418 }),
    ])
    expect(rows.map((row) => [row.where, row.sample])).toEqual([
      ['triage · step a', '600 vs 580'],
      ['triage · step b', '600 vs 580; needs 418 per model'],
      ['triage · step c', '600 vs 580'],
      ['triage · step d', '600 vs 580; needs 418 per model'],
    ])
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

describe('prepareRecommendationGroups', () => {
  const mixed = [
    createTestRecommendation({ step: 'p1', evidence: 'prior', status: 'needs_evidence' }),
    createTestRecommendation({ step: 'n1', status: 'not_recommended' }),
    createTestRecommendation({ step: 'r1', monthlySavingsUsd: 3 }),
    createTestRecommendation({ step: 'p2', evidence: 'prior', status: 'needs_evidence' }),
    createTestRecommendation({ step: 'e1', status: 'needs_evidence' }),
    createTestRecommendation({ step: 'r2', evidence: 'replay', monthlySavingsUsd: 8 }),
  ]

  it('should put what can be accepted first, then the rest with evidence, then the priors folded', () => {
    const groups = prepareRecommendationGroups(mixed)
    expect(
      groups.map((group) => [
        group.id,
        group.title,
        group.collapsed,
        group.rows.map((row) => row.where.replace('triage · step ', '')),
      ]),
    ).toEqual([
      ['recommended', 'Recommended (2)', false, ['r2', 'r1']],
      ['evidence', 'Not recommended or needing more evidence (2)', false, ['n1', 'e1']],
      ['prior', 'Prior only, no evidence yet (2)', true, ['p1', 'p2']],
    ])
    // The groups hold the rows in the order of the flat list, so nothing moves between them.
    expect(groups.flatMap((group) => group.rows)).toEqual(prepareRecommendationRows(mixed))
  })

  it('should keep the recommended group when empty, and leave out other empty groups', () => {
    const groups = prepareRecommendationGroups([mixed[0]!])
    expect(groups.map((group) => [group.id, group.rows.length])).toEqual([
      ['recommended', 0],
      ['prior', 1],
    ])
  })

  it('should count each group in one sentence', () => {
    expect(recommendationSummary(mixed)).toBe(
      '2 switches recommended; 2 with evidence against or not enough yet; 2 prior only, without evidence (folded below).',
    )
    expect(recommendationSummary([mixed[2]!])).toBe(
      '1 switch recommended; 0 with evidence against or not enough yet; 0 prior only, without evidence (folded below).',
    )
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
