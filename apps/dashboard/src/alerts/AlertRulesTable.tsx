import type { AlertRuleRow } from '../prepare/alerts'

/** Props of `AlertRulesTable`. */
export interface AlertRulesTableProps {
  rows: AlertRuleRow[]
  /** Turns a rule on or off; the button is disabled while a change is under way. */
  onToggle: (row: AlertRuleRow) => void
  busyRuleId: string | null
}

/** One row per alert rule: what it watches, where it notifies, and its current state. */
export function AlertRulesTable({ rows, onToggle, busyRuleId }: AlertRulesTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Alert rules</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Condition</th>
            <th scope="col">Channel</th>
            <th scope="col">State</th>
            <th scope="col">Subject</th>
            <th scope="col">Last notified</th>
            <th scope="col" className="num">
              Breaches
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="alert-rule-row" data-rule-id={row.id}>
              <th scope="row">{row.name}</th>
              <td>{row.condition}</td>
              <td>{row.channel}</td>
              <td>
                <span
                  className={`outcome outcome-${row.state.tone}`}
                  data-testid="alert-rule-state"
                >
                  {row.state.text}
                </span>
              </td>
              <td>{row.subject}</td>
              <td>{row.lastNotified}</td>
              <td className="num">{row.breaches}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  disabled={busyRuleId === row.id}
                  onClick={() => onToggle(row)}
                >
                  {row.toggleLabel}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
