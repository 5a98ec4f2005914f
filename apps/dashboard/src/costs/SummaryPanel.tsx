import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { CostRow, TaskSummary } from '../api/types'
import { Panel } from '../components/Panel'
import { prepareCostSummary } from '../prepare/cost-summary'

/** Props of `SummaryPanel`. */
export interface SummaryPanelProps {
  /** `groupBy=task_name` rows of the whole range. */
  costs: ApiState<CostRow[]>
  /** The task list, which the failure count may come from. */
  tasks: ApiState<TaskSummary[]>
  taskLimit: number
  name: string | null
}

/** Headline numbers: total spend, tasks, failures, cost per successful task. */
export function SummaryPanel({ costs, tasks, taskLimit, name }: SummaryPanelProps) {
  const listed = tasks.status === 'ready' ? tasks.data : null
  const rows = costs.status === 'ready' ? costs.data : null
  const summary = useMemo(
    () =>
      rows === null
        ? null
        : prepareCostSummary(
            rows,
            name,
            listed === null ? null : { tasks: listed, limit: taskLimit },
          ),
    [rows, name, listed, taskLimit],
  )

  return (
    <Panel title="Summary" testId="cost-summary" state={costs} className="summary-panel">
      {() =>
        summary !== null && (
          <dl className="stats">
            <div className="stat">
              <dt>Total spend</dt>
              <dd data-testid="total-spend">{summary.totalSpend}</dd>
            </div>
            <div className="stat">
              <dt>Tasks</dt>
              <dd data-testid="task-count">{summary.tasks}</dd>
            </div>
            <div className="stat">
              <dt>Failures</dt>
              <dd data-testid="failure-count">{summary.failures}</dd>
            </div>
            <div className="stat">
              <dt>Cost per successful task</dt>
              <dd>
                <span data-testid="cost-per-success">{summary.costPerSuccessfulTask}</span>
                {summary.costPerSuccessfulTaskNote !== null && (
                  <span className="stat-note" data-testid="cost-per-success-note">
                    {summary.costPerSuccessfulTaskNote}
                  </span>
                )}
              </dd>
            </div>
          </dl>
        )
      }
    </Panel>
  )
}
