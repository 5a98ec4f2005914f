import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  evaluateRecommender,
  MIN_SAMPLE,
  type RecommenderReport,
} from './recommendations-eval/evaluate'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The simulation harness of issue #6: steps whose cheap-model success rate (or, for shadow
 * replays, as-good rate by input size) is set, outcomes drawn at those rates, token counts from
 * a real mini-swe-agent run, posted as OTLP/JSON into a real collector; the recommender is
 * scored against the goals: monthly savings within ±15% of 30 simulated days on the cheap model,
 * predicted quality change within ±5 points of the truth, at most 10% of issued recommendations
 * breaching the tolerance, none issued on too little evidence.
 */
let collector: TestCollector
let report: RecommenderReport

beforeAll(async () => {
  collector = await createTestCollector()
  report = await evaluateRecommender(collector)
  // `AGENTMETER_EVAL_REPORT=1` prints the figures per step.
  if (process.env['AGENTMETER_EVAL_REPORT'] === '1') {
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`)
  }
}, 300_000)

afterAll(async () => {
  await collector?.close()
})

describe('recommender evaluation harness', () => {
  it('should show a row for every step where the switch saves money, and only there', () => {
    // A thin margin may come out on either side of zero in a window's sample.
    const wrong = report.scenarios.filter((s) => !s.thin && s.found !== s.savesMoney)
    expect(wrong.map((score) => score.step)).toEqual([])
    const costsMore = report.scenarios.filter((score) => !score.savesMoney)
    expect(costsMore.length).toBeGreaterThan(0)
    expect(costsMore.every((score) => score.actualMonthlySavingsUsd < 0)).toBe(true)
  })

  it('should estimate monthly savings within ±15% where the window has enough calls', () => {
    const scored = report.scenarios.filter((s) => s.found && s.sample.current >= MIN_SAMPLE)
    for (const score of scored.filter((s) => !s.thin)) {
      expect(Math.abs(score.savingsRelativeError), score.step).toBeLessThanOrEqual(0.15)
    }
    // Where the savings are a small difference of two large costs, the projected cost is held
    // to ±15% instead (its error, not the difference's, is what the projection controls).
    for (const score of scored) {
      expect(Math.abs(score.cheapCostRelativeError), score.step).toBeLessThanOrEqual(0.15)
    }
  })

  it('should predict the quality change within ±5 points', () => {
    const scored = report.scenarios.filter((s) => s.found && s.sample.suggested >= MIN_SAMPLE)
    for (const score of scored) {
      expect(Math.abs(score.qualityError), score.step).toBeLessThanOrEqual(5)
    }
  })

  it('should issue recommendations of which at most 10% breach the tolerance', () => {
    expect(report.issued).toBeGreaterThanOrEqual(6)
    expect(report.breaches).toBeLessThanOrEqual(report.issued * 0.1)
  })

  it('should issue nothing on too little evidence', () => {
    expect(report.issuedOnTooLittleEvidence).toBe(0)
    const tooFew = report.scenarios.filter((score) => score.step.startsWith('too-few'))
    expect(tooFew.map((score) => score.status)).not.toContain('recommended')
  })
})
