import { describe, expect, it } from 'vitest'
import type { Hotspot } from '../api/hotspots'
import { prepareHotspotRows } from './hotspots'

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
})
