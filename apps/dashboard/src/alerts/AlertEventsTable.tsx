import { Link } from '../components/Link'
import type { AlertEventRow } from '../prepare/alerts'

/** Props of `AlertEventsTable`. */
export interface AlertEventsTableProps {
  rows: AlertEventRow[]
}

/** The alert history, newest first: what fired, about which task, and whether it was sent. */
export function AlertEventsTable({ rows }: AlertEventsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Recent alert events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Rule</th>
            <th scope="col">Event</th>
            <th scope="col">What happened</th>
            <th scope="col">Delivery</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="alert-event-row">
              <td>{row.time}</td>
              <th scope="row">{row.ruleName}</th>
              <td>
                <span className={`outcome outcome-${row.kind.tone}`}>{row.kind.text}</span>
              </td>
              <td>
                {row.message}
                {row.taskHref !== null && (
                  <>
                    {' '}
                    <Link href={row.taskHref}>Open task</Link>
                  </>
                )}
              </td>
              <td title={row.deliveryNote ?? undefined}>
                <span className={`outcome outcome-${row.delivery.tone}`}>{row.delivery.text}</span>
                {row.deliveryNote !== null && <p className="footnote">{row.deliveryNote}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
