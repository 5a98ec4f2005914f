/**
 * Where a page of the task list ends: the last row's start, to the nanosecond, and its id (the
 * list's order is start descending, then id ascending, so the pair names one place in it). The
 * next page is every task after that place: tasks that arrive meanwhile sort before it (newer)
 * or after it (older) and shift no row from one page to another. A task whose start moves once
 * an earlier span of it arrives can move across that place, as it moves in the list.
 */
export interface TaskCursor {
  /** `task_start` as ClickHouse prints a `DateTime64(9, 'UTC')`. */
  start: string
  taskId: string
}

const START = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?$/

/** The cursor as clients see it: opaque, URL-safe. */
export function encodeTaskCursor(cursor: TaskCursor): string {
  return Buffer.from(JSON.stringify([cursor.start, cursor.taskId])).toString('base64url')
}

/** The cursor a client sent back, or null when it is not one this collector made. */
export function decodeTaskCursor(text: string): TaskCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null
  const [start, taskId] = parsed as unknown[]
  if (typeof start !== 'string' || !START.test(start) || typeof taskId !== 'string') return null
  return { start, taskId }
}

/** The SQL condition of the rows after the cursor, with `taskCursorParams`. */
export const AFTER_CURSOR = `(task_start < {afterStart:DateTime64(9, 'UTC')}
    OR (task_start = {afterStart:DateTime64(9, 'UTC')} AND task_id > {afterTaskId:String}))`

export function taskCursorParams(cursor: TaskCursor): Record<string, string> {
  return { afterStart: cursor.start, afterTaskId: cursor.taskId }
}
