import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { TaskSummary } from '../api/types'
import { Panel } from '../components/Panel'
import { prepareTaskList } from '../prepare/task-list'
import { TaskTable } from './TaskTable'

/** Props of `TaskListPanel`. */
export interface TaskListPanelProps {
  state: ApiState<TaskSummary[]>
  limit: number
}

/** The tasks of the filtered range. */
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
