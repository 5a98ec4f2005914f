import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decomposeCostChange, type GroupUsage, type ModelUsage } from './decompose'

const usage = (model: string, fields: Partial<ModelUsage>): ModelUsage => ({
  model,
  calls: 10,
  inputTokens: 10_000,
  cacheReadTokens: 0,
  inputCostUsd: 0.01,
  costUsd: 0.03,
  ...fields,
})

const sumOf = (parts: Record<string, number>) => Object.values(parts).reduce((a, b) => a + b, 0)

describe('decomposeCostChange', () => {
  it('should put a doubling of calls per task entirely in callsPerTask', () => {
    const before: GroupUsage = { tasks: 10, toolCostUsd: 0, models: [usage('m', {})] }
    const after: GroupUsage = {
      tasks: 10,
      toolCostUsd: 0,
      models: [usage('m', { calls: 20, inputTokens: 20_000, inputCostUsd: 0.02, costUsd: 0.06 })],
    }
    const change = decomposeCostChange(before, after)
    expect(change.baselineCostPerTaskUsd).toBeCloseTo(0.003, 15)
    expect(change.costPerTaskUsd).toBeCloseTo(0.006, 15)
    expect(change.parts.callsPerTask).toBeCloseTo(0.003, 15)
    for (const part of ['modelMix', 'promptLength', 'cacheHits', 'outputAndOther', 'toolFees']) {
      expect(change.parts[part as keyof typeof change.parts]).toBeCloseTo(0, 15)
    }
  })

  it('should put dearer input at the same prompt length (lost cache hits) in cacheHits', () => {
    const before: GroupUsage = {
      tasks: 5,
      toolCostUsd: 0,
      models: [usage('m', { cacheReadTokens: 8_000 })],
    }
    const after: GroupUsage = {
      tasks: 5,
      toolCostUsd: 0,
      models: [usage('m', { cacheReadTokens: 0, inputCostUsd: 0.025, costUsd: 0.045 })],
    }
    const change = decomposeCostChange(before, after)
    expect(change.changeUsd).toBeCloseTo(0.003, 15)
    expect(change.parts.cacheHits).toBeCloseTo(0.003, 15)
    expect(change.parts.promptLength).toBeCloseTo(0, 15)
    expect(change.parts.callsPerTask).toBeCloseTo(0, 15)
  })

  it('should put a switch to another model in modelMix and longer prompts in promptLength', () => {
    const before: GroupUsage = { tasks: 10, toolCostUsd: 0, models: [usage('small', {})] }
    const after: GroupUsage = {
      tasks: 10,
      toolCostUsd: 0,
      models: [usage('large', { inputCostUsd: 0.1, costUsd: 0.3 })],
    }
    const switched = decomposeCostChange(before, after)
    expect(switched.parts.modelMix).toBeCloseTo(0.027, 15)
    expect(switched.parts.promptLength).toBeCloseTo(0, 15)

    const longer: GroupUsage = {
      tasks: 10,
      toolCostUsd: 0.5,
      models: [usage('small', { inputTokens: 30_000, inputCostUsd: 0.03, costUsd: 0.05 })],
    }
    const grown = decomposeCostChange(before, longer)
    expect(grown.parts.promptLength).toBeCloseTo(0.002, 15)
    expect(grown.parts.toolFees).toBeCloseTo(0.05, 15)
    expect(grown.parts.modelMix).toBeCloseTo(0, 15)
  })

  it('does make the parts add up to the whole change, and the ends match the raw totals', () => {
    // A call's input cost is part of its whole cost, as the rollups give them.
    const model = fc
      .record({
        model: fc.constantFrom('a', 'b', 'c'),
        calls: fc.integer({ min: 0, max: 500 }),
        inputTokens: fc.integer({ min: 0, max: 5_000_000 }),
        cacheReadTokens: fc.constant(0),
        inputCostUsd: fc.double({ min: 0, max: 50, noNaN: true }),
        restUsd: fc.double({ min: 0, max: 50, noNaN: true }),
      })
      .map(({ restUsd, ...usage }) => ({ ...usage, costUsd: usage.inputCostUsd + restUsd }))
    const group = fc.record({
      tasks: fc.integer({ min: 1, max: 300 }),
      toolCostUsd: fc.double({ min: 0, max: 5, noNaN: true }),
      models: fc.uniqueArray(model, { selector: (item) => item.model, maxLength: 3 }),
    })
    fc.assert(
      fc.property(group, group, (before, after) => {
        const change = decomposeCostChange(before, after)
        const raw = (g: GroupUsage) =>
          (g.models.filter((m) => m.calls > 0).reduce((sum, m) => sum + m.costUsd, 0) +
            g.toolCostUsd) /
          g.tasks
        const scale = Math.max(1, Math.abs(raw(before)), Math.abs(raw(after)))
        // A sum of parts that cancel is as exact as its largest part, not as its result: a
        // model's per-token price of one period applied to the other's tokens can be dollars
        // per task where the ends are cents.
        const partsScale = Math.max(scale, ...Object.values(change.parts).map(Math.abs))
        expect(Math.abs(sumOf({ ...change.parts }) - change.changeUsd)).toBeLessThan(
          1e-9 * partsScale,
        )
        expect(Math.abs(change.baselineCostPerTaskUsd - raw(before))).toBeLessThan(1e-9 * scale)
        expect(Math.abs(change.costPerTaskUsd - raw(after))).toBeLessThan(1e-9 * scale)
      }),
      { numRuns: 500 },
    )
  })
})
