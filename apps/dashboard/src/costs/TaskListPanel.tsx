import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { TaskPages } from '../api/use-task-pages'
import { CsvButton } from '../components/CsvButton'
import { Panel } from '../components/Panel'
import { prepareTaskList } from '../prepare/task-list'
import { TaskTable } from './TaskTable'

/** Props of `TaskListPanel`. */
export interface TaskListPanelProps {
  /** The first page's request: the panel's loading and error states. */
  state: ApiState<unknown>
  /** The pages loaded so far, once the first one is in. */
  pages: TaskPages | null
}

const TASK_CSV_HEADER = [
  'task_id',
  'name',
  'start',
  'duration',
  'llm_calls',
  'tool_calls',
  'tokens',
  'cost',
  'unpriced',
  'outcome',
]

/**
 * The tasks of the filtered range, newest first, a page at a time ("Load more" asks for the
 * next one), with the rows loaded so far as a CSV export.
 */
export function TaskListPanel({ state, pages }: TaskListPanelProps) {
  const tasks = pages?.tasks ?? null
  const hasMore = pages?.hasMore ?? false
  const model = useMemo(
    () => (tasks === null ? null : prepareTaskList(tasks, { hasMore })),
    [tasks, hasMore],
  )

  return (
    <Panel
      title="Tasks"
      testId="task-list"
      state={state}
      isEmpty={() => model?.isEmpty ?? true}
      emptyText="No tasks in this range."
      className="wide"
      actions={
        model !== null && (
          <CsvButton
            table="Tasks"
            header={TASK_CSV_HEADER}
            rows={model.rows.map((row) => [
              row.taskId,
              row.name,
              row.start,
              row.duration,
              row.llmCalls,
              row.toolCalls,
              row.tokens,
              row.cost,
              row.unpriced,
              row.outcome.text,
            ])}
          />
        )
      }
    >
      {() =>
        model !== null &&
        pages !== null && (
          <>
            <TaskTable rows={model.rows} />
            {model.note !== null && <p className="footnote">{model.note}</p>}
            {pages.error !== null && (
              <p className="panel-error" role="alert">
                Could not load more tasks: {pages.error}
              </p>
            )}
            {pages.hasMore && (
              <button
                type="button"
                className="secondary"
                data-testid="load-more-tasks"
                disabled={pages.loading}
                onClick={pages.loadMore}
              >
                {pages.loading ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )
      }
    </Panel>
  )
}
