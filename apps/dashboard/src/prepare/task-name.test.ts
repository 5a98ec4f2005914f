import { describe, expect, it } from 'vitest'
import { UNNAMED_TASK, displayTaskName } from './task-name'

describe('displayTaskName', () => {
  it('should show a missing and an empty name alike, and a name as it is', () => {
    expect([displayTaskName(null), displayTaskName(''), displayTaskName('triage')]).toEqual([
      UNNAMED_TASK,
      UNNAMED_TASK,
      'triage',
    ])
    expect(UNNAMED_TASK).toBe('(unnamed)')
  })

  it('does not trim or rename a name that only looks empty', () => {
    expect(displayTaskName(' ')).toBe(' ')
  })
})
