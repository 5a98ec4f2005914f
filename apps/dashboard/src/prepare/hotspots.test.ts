import { describe, expect, it } from 'vitest'
import type { Hotspot } from '../api/hotspots'
import { hotspotTotalText, prepareHotspotRows, unlistedHotspotsText } from './hotspots'

function hotspot(overrides: Partial<Hotspot>): Hotspot {
  return {
    cause: 'duplicate_llm_call',
    taskName: 'triage',
    step: 'classify',
    model: 'gpt-4o',
    tool: '',
    detail: 'deterministic',
    occurrences: 2,
    wastedUsd: 0.5,
    shareOfSpend: 0.125,
    exampleTaskIds: ['t1'],
    examples: [{ taskId: 't1', spanId: 's1' }],
    trend: [],
    fix: 'Dedupe this call.',
    ...overrides,
  }
}

describe('prepareHotspotRows', () => {
  it('should rank by dollars and describe cause, place and share', () => {
    const rows = prepareHotspotRows([
      hotspot({}),
      hotspot({
        cause: 'missed_prompt_cache',
        detail: 'system',
        tool: '',
        wastedUsd: 2,
        shareOfSpend: null,
      }),
    ])
    expect(rows.map((row) => [row.rank, row.cause, row.where, row.share])).toEqual([
      [1, 'Missed prompt cache (system prompt changed)', 'triage · step classify · gpt-4o', '—'],
      [2, 'Duplicate LLM call (same answer)', 'triage · step classify · gpt-4o', '12.5%'],
    ])
  })

  it('should show a small non-zero share as under 0.1%, with the shared formats', () => {
    const rows = prepareHotspotRows([
      hotspot({ wastedUsd: 0.0000021, shareOfSpend: 0.0000004 }),
      hotspot({ wastedUsd: 0.0000001, shareOfSpend: 0 }),
    ])
    expect(rows.map((row) => row.share)).toEqual(['<0.1%', '0.0%'])
  })

  it('should leave out repeats that cost nothing, and keep the smallest cost that is not zero', () => {
    const free = hotspot({
      cause: 'repeated_tool_call',
      step: 'verify',
      model: '',
      tool: 'lookup_customer',
      detail: 'same_result',
      occurrences: 39,
      wastedUsd: 0,
      shareOfSpend: 0,
    })
    const rows = prepareHotspotRows([free, hotspot({ wastedUsd: 0.000047 }), hotspot({})])
    expect(rows.map((row) => [row.rank, row.wastedUsd])).toEqual([
      [1, 0.5],
      [2, 0.000047],
    ])
    expect(unlistedHotspotsText([free, hotspot({})])).toBe(
      'Not listed, with no priced spend: repeated tool call in triage · step verify · tool lookup_customer, 39 times.',
    )
  })

  it('should only count the repeats that cost nothing when there are many, and say nothing of none', () => {
    const free = (step: string) => hotspot({ step, wastedUsd: 0, shareOfSpend: 0 })
    expect(unlistedHotspotsText(['a', 'b', 'c', 'd'].map(free))).toBe(
      'Not listed: 4 repeats with no priced spend.',
    )
    expect(unlistedHotspotsText([hotspot({})])).toBeNull()
  })
})

describe('hotspotTotalText', () => {
  it('should give the waste and its share of the spend', () => {
    const report = { totalWastedUsd: 0.0000021, totalSpendUsd: 5.25, hotspots: [] }
    expect(hotspotTotalText({ ...report, wastedShare: 0.0000004 })).toBe(
      '$0.0000021 wasted on repeated work (<0.1% of $5.25 spent).',
    )
    expect(hotspotTotalText({ ...report, wastedShare: 0.125 })).toBe(
      '$0.0000021 wasted on repeated work (12.5% of $5.25 spent).',
    )
    expect(hotspotTotalText({ ...report, totalSpendUsd: 0, wastedShare: null })).toBe(
      '$0.0000021 wasted on repeated work.',
    )
  })
})
