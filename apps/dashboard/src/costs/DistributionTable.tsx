import type { DistributionRow } from '../prepare/cost-distribution'

/** Props of `DistributionTable`. */
export interface DistributionTableProps {
  rows: DistributionRow[]
}

/** The numbers behind the distribution chart, with task counts and cost per successful task. */
export function DistributionTable({ rows }: DistributionTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Cost per task by task name</caption>
        <thead>
          <tr>
            <th scope="col">Task name</th>
            <th scope="col" className="num">
              Tasks
            </th>
            <th scope="col" className="num">
              p50 per task
            </th>
            <th scope="col" className="num">
              p95 per task
            </th>
            <th scope="col" className="num">
              Per successful task
            </th>
            <th scope="col" className="num">
              Spend
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-testid="distribution-row" data-task-name={row.key}>
              <th scope="row">{row.name}</th>
              <td className="num">{row.tasks}</td>
              <td className="num">{row.p50}</td>
              <td className="num">{row.p95}</td>
              <td className="num">{row.costPerSuccessfulTask}</td>
              <td className="num">{row.spend}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="footnote">
        — : no tasks (p50, p95) or no successful task in the range. Tasks none of whose calls could
        be priced are left out of the percentiles and the cost per successful task.
      </p>
    </div>
  )
}
