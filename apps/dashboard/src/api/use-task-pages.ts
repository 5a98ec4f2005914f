import { useEffect, useRef, useState } from 'react'
import { useAuth } from '../session/auth-context'
import { UnauthorizedError } from './client'
import { fetchTaskPage, type TaskListQuery } from './endpoints'
import { errorMessage } from './error-message'
import type { TaskPage, TaskSummary } from './types'
import type { ApiState } from './use-api'

/** The first page of a task list and the query it was asked with, which later pages reuse. */
export interface FirstTaskPage {
  query: TaskListQuery
  page: TaskPage
}

/** Every page of one task list loaded so far. */
export interface TaskPages {
  tasks: TaskSummary[]
  /** The collector has more tasks after these. */
  hasMore: boolean
  /** The next page is on its way. */
  loading: boolean
  /** Why the next page could not be loaded; `loadMore` tries again. */
  error: string | null
  loadMore: () => void
}

interface Loaded {
  first: FirstTaskPage
  tasks: TaskSummary[]
  cursor: string | null
  loading: boolean
  error: string | null
}

/**
 * The pages after a task list's first one, loaded one at a time with the first page's own query
 * (its window as it was computed then) and the cursor of the page before. A new first page (the
 * filters changed, or a retry) starts over. A task already shown is not added twice, should its
 * start move between two pages.
 */
export function useTaskPages(first: ApiState<FirstTaskPage>): TaskPages | null {
  const { onUnauthorized } = useAuth()
  const data = first.status === 'ready' ? first.data : null
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const request = useRef<AbortController | null>(null)
  useEffect(() => () => request.current?.abort(), [data])

  if (data === null) return null
  const current: Loaded =
    loaded !== null && loaded.first === data
      ? loaded
      : {
          first: data,
          tasks: data.page.tasks,
          cursor: data.page.nextCursor,
          loading: false,
          error: null,
        }

  const loadMore = () => {
    if (current.cursor === null || current.loading) return
    request.current?.abort()
    const controller = new AbortController()
    request.current = controller
    setLoaded({ ...current, loading: true, error: null })
    fetchTaskPage(data.query, current.cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return
        setLoaded({
          ...current,
          tasks: withNew(current.tasks, page.tasks),
          cursor: page.nextCursor,
          loading: false,
          error: null,
        })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        if (error instanceof UnauthorizedError) onUnauthorized()
        setLoaded({ ...current, loading: false, error: errorMessage(error) })
      },
    )
  }

  return {
    tasks: current.tasks,
    hasMore: current.cursor !== null,
    loading: current.loading,
    error: current.error,
    loadMore,
  }
}

function withNew(shown: TaskSummary[], page: TaskSummary[]): TaskSummary[] {
  const ids = new Set(shown.map((task) => task.taskId))
  return [...shown, ...page.filter((task) => !ids.has(task.taskId))]
}
