import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { TaskSummary } from '../api/types'
import { CsvButton } from '../components/CsvButton'
import { Panel } from '../components/Panel'
import { prepareTaskList } from '../prepare/task-list'
import { TaskTable } from './TaskTable'

/** Props of `TaskListPanel`. */
export interface TaskListPanelProps {
  state: ApiState<TaskSummary[]>
  limit: number
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

/** The tasks of the filtered range, with the rows shown as a CSV export. */
export function TaskListPanel({ state, limit }: TaskListPanelProps) {
  const tasks = state.status === 'ready' ? state.data : null
  const model = useMemo(
    () => (tasks === null ? null : prepareTaskList(tasks, { limit })),
    [tasks, limit],
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
        model !== null && (
          <>
            <TaskTable rows={model.rows} />
            {model.note !== null && <p className="footnote">{model.note}</p>}
          </>
        )
      }
    </Panel>
  )
}
