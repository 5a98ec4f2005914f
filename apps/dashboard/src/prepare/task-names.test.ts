import { describe, expect, it } from 'vitest'
import { createTestCostRow } from '../test-support/builders'
import { prepareTaskNameOptions } from './task-names'

describe('prepareTaskNameOptions', () => {
  const rows = ['triage', '', 'billing'].map((key) => createTestCostRow({ key }))

  it('should list named tasks sorted', () => {
    expect(prepareTaskNameOptions(rows, null)).toEqual([
      { value: 'billing', label: 'billing' },
      { value: 'triage', label: 'triage' },
    ])
  })

  it('should keep the selected name even when the range has none of it', () => {
    expect(prepareTaskNameOptions(rows, 'archived').map((option) => option.value)).toEqual([
      'archived',
      'billing',
      'triage',
    ])
  })
})
