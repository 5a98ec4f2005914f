import { describe, expect, it } from 'vitest'
import type { TaskSpan } from '../api/types'
import { createTestSpan } from '../test-support/builders'
import { layoutSpans } from './span-tree'

const T0 = Date.parse('2025-01-31T10:00:00.000Z')

function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString()
}

function span(
  spanId: string,
  parentSpanId: string | null,
  from: number,
  to: number,
  overrides: Partial<TaskSpan> = {},
): TaskSpan {
  return createTestSpan({
    spanId,
    parentSpanId,
    name: spanId,
    startTime: at(from),
    endTime: at(to),
    ...overrides,
  })
}

describe('layoutSpans', () => {
  it('should order depth first with siblings by start, as fractions of the task', () => {
    const root = span('root', null, 0, 10, { kind: 'task' })
    const agent = span('agent', 'root', 1, 9, { kind: 'agent' })
    const late = span('late', 'agent', 5, 7)
    const early = span('early', 'agent', 1, 3)
    const tool = span('tool', 'root', 9, 10, { kind: 'tool' })

    expect(layoutSpans([tool, late, root, early, agent])).toEqual({
      spans: [
        { span: root, depth: 0, orphan: false, offset: 0, width: 1 },
        { span: agent, depth: 1, orphan: false, offset: 0.1, width: 0.8 },
        { span: early, depth: 2, orphan: false, offset: 0.1, width: 0.2 },
        { span: late, depth: 2, orphan: false, offset: 0.5, width: 0.2 },
        { span: tool, depth: 1, orphan: false, offset: 0.9, width: 0.1 },
      ],
      durationMillis: 10_000,
    })
  })

  it('should hang spans with a missing parent, and extra roots, under the task root', () => {
    const stray = span('stray', null, 0, 2)
    const root = span('root', null, 1, 5, { kind: 'task' })
    const orphan = span('orphan', 'gone', 3, 4)
    const child = span('child', 'orphan', 3, 4)
    const own = span('own', 'root', 2, 3)

    expect(layoutSpans([orphan, child, root, own, stray])).toEqual({
      spans: [
        { span: root, depth: 0, orphan: false, offset: 0.2, width: 0.8 },
        { span: stray, depth: 1, orphan: true, offset: 0, width: 0.4 },
        { span: own, depth: 1, orphan: false, offset: 0.4, width: 0.2 },
        { span: orphan, depth: 1, orphan: true, offset: 0.6, width: 0.2 },
        { span: child, depth: 2, orphan: false, offset: 0.6, width: 0.2 },
      ],
      durationMillis: 5_000,
    })
  })

  it('does break parent cycles by hanging them under the root, after its other children', () => {
    const root = span('root', null, 0, 4, { kind: 'task' })
    const a = span('a', 'b', 1, 2)
    const b = span('b', 'a', 2, 3)
    const self = span('self', 'self', 3, 4)

    expect(layoutSpans([b, a, self, root]).spans).toEqual([
      { span: root, depth: 0, orphan: false, offset: 0, width: 1 },
      { span: self, depth: 1, orphan: true, offset: 0.75, width: 0.25 },
      { span: a, depth: 1, orphan: true, offset: 0.25, width: 0.25 },
      { span: b, depth: 2, orphan: false, offset: 0.5, width: 0.25 },
    ])
  })

  it('should pick a root when every span sits in a cycle', () => {
    const a = span('a', 'b', 0, 2)
    const b = span('b', 'a', 1, 2)
    expect(layoutSpans([b, a]).spans).toEqual([
      { span: a, depth: 0, orphan: false, offset: 0, width: 1 },
      { span: b, depth: 1, orphan: false, offset: 0.5, width: 0.5 },
    ])
  })

  it('should stretch the waterfall to the task window', () => {
    const root = span('root', null, 0, 5, { kind: 'task' })
    expect(layoutSpans([root], { startTime: at(0), endTime: at(20) })).toEqual({
      spans: [{ span: root, depth: 0, orphan: false, offset: 0, width: 0.25 }],
      durationMillis: 20_000,
    })
  })

  it('does give zero bars for unreadable times and zero-length tasks', () => {
    const root = span('root', null, 0, 0, { kind: 'task' })
    const broken = span('broken', 'root', 0, 0, { startTime: 'soon' })
    expect(layoutSpans([root, broken])).toEqual({
      spans: [
        { span: root, depth: 0, orphan: false, offset: 0, width: 0 },
        { span: broken, depth: 1, orphan: false, offset: 0, width: 0 },
      ],
      durationMillis: 0,
    })
  })

  it('should lay out nothing for no spans', () => {
    expect(layoutSpans([])).toEqual({ spans: [], durationMillis: 0 })
  })
})
