import { Link } from '../components/Link'
import type { TaskListRow } from '../prepare/task-list'

/** Props of `TaskTable`. */
export interface TaskTableProps {
  rows: TaskListRow[]
}

/** One row per task, newest first, each linking to the task's page. */
export function TaskTable({ rows }: TaskTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Tasks, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Start</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col" className="num">
              LLM calls
            </th>
            <th scope="col" className="num">
              Tool calls
            </th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.taskId} data-testid="task-row" data-task-id={row.taskId}>
              <th scope="row">
                <Link href={row.href}>{row.name}</Link>
              </th>
              <td>{row.start}</td>
              <td className="num">{row.duration}</td>
              <td className="num">{row.llmCalls}</td>
              <td className="num">{row.toolCalls}</td>
              <td className="num">{row.tokens}</td>
              <td className="num">
                <span data-testid="task-cost">{row.cost}</span>
                {row.unpriced !== null && <span className="badge">{row.unpriced}</span>}
              </td>
              <td>
                <span className={`outcome outcome-${row.outcome.tone}`}>{row.outcome.text}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
