import type { TaskSpan } from '../api/types'

/** Where one span sits in the tree and on the waterfall. */
export interface SpanLayout {
  span: TaskSpan
  /** 0 for the root. */
  depth: number
  /** The span was hung under the root because its own parent is not in the task. */
  orphan: boolean
  /** Start of the bar, as a fraction of the task's duration from its start. */
  offset: number
  /** Length of the bar, as a fraction of the task's duration. */
  width: number
}

/** A task's spans in display order, and the time the waterfall covers. */
export interface SpanTreeLayout {
  spans: SpanLayout[]
  /** From the earliest start to the latest end; 0 when no time is readable. */
  durationMillis: number
}

/** The task's own start and end, so the waterfall spans at least the whole task. */
export interface LayoutWindow {
  startTime: string
  endTime: string
}

interface Node {
  span: TaskSpan
  index: number
  start: number
  end: number
}

function byStart(a: Node, b: Node): number {
  const start = (node: Node): number => (Number.isNaN(node.start) ? Infinity : node.start)
  return (
    start(a) - start(b) ||
    a.span.name.localeCompare(b.span.name) ||
    a.span.spanId.localeCompare(b.span.spanId) ||
    a.index - b.index
  )
}

function clampFraction(value: number): number {
  return Math.min(1, Math.max(0, value))
}

/**
 * Lays a task's spans out as a tree and a waterfall, in display order (depth first, siblings by
 * start time). The root is the span without a parent in the task (the `task` span when there are
 * several); every other span whose parent is missing goes under the root and is marked `orphan`,
 * and so do spans caught in a parent cycle, after the root's other children. Offsets and widths are fractions of the time from the
 * earliest start to the latest end (the task's own included), clamped to [0, 1]; a span with an
 * unreadable time, or a task of zero duration, gets 0 and 0.
 */
export function layoutSpans(spans: TaskSpan[], window?: LayoutWindow): SpanTreeLayout {
  const nodes: Node[] = spans.map((span, index) => ({
    span,
    index,
    start: Date.parse(span.startTime),
    end: Date.parse(span.endTime),
  }))
  if (nodes.length === 0) return { spans: [], durationMillis: 0 }

  // With a duplicated span id, the first copy is the one its children hang under.
  const firstById = new Map<string, Node>()
  for (const node of nodes)
    if (!firstById.has(node.span.spanId)) firstById.set(node.span.spanId, node)
  const hasParent = (node: Node): boolean =>
    node.span.parentSpanId !== null &&
    node.span.parentSpanId !== node.span.spanId &&
    firstById.has(node.span.parentSpanId)

  const sorted = [...nodes].sort(byStart)
  const detached = sorted.filter((node) => !hasParent(node))
  const pickRoot = (candidates: Node[]): Node | undefined =>
    candidates.find((node) => node.span.kind === 'task') ?? candidates[0]
  // Without a detached span every span sits in a parent cycle; one of them has to be the root.
  const root = pickRoot(detached) ?? pickRoot(sorted)
  if (root === undefined) return { spans: [], durationMillis: 0 }

  const children = new Map<string, Node[]>()
  const addChild = (parentId: string, node: Node): void => {
    const list = children.get(parentId) ?? []
    list.push(node)
    children.set(parentId, list)
  }
  for (const node of sorted) {
    if (node === root) continue
    if (hasParent(node)) addChild(node.span.parentSpanId ?? '', node)
    else addChild(root.span.spanId, node)
  }

  const times = nodes.flatMap((node) => [node.start, node.end])
  if (window !== undefined) times.push(Date.parse(window.startTime), Date.parse(window.endTime))
  const readable = times.filter((time) => !Number.isNaN(time))
  const t0 = Math.min(...readable)
  const total = readable.length === 0 ? 0 : Math.max(...readable) - t0

  const layouts: SpanLayout[] = []
  const visited = new Set<Node>()
  const place = (node: Node, depth: number, orphan: boolean): void => {
    if (visited.has(node)) return
    visited.add(node)
    const timed = total > 0 && !Number.isNaN(node.start) && !Number.isNaN(node.end)
    layouts.push({
      span: node.span,
      depth,
      orphan,
      offset: timed ? clampFraction((node.start - t0) / total) : 0,
      width: timed ? clampFraction((node.end - node.start) / total) : 0,
    })
    const own = firstById.get(node.span.spanId) === node
    for (const child of own ? (children.get(node.span.spanId) ?? []) : []) {
      place(child, depth + 1, depth === 0 && !hasParent(child))
    }
  }
  place(root, 0, false)
  for (const node of sorted) place(node, 1, true)
  return { spans: layouts, durationMillis: total }
}
