import type { RecommendationRow } from '../prepare/recommendations'

/** Props of `RecommendationTable`. */
export interface RecommendationTableProps {
  rows: RecommendationRow[]
  /** Keys (`switchKey`) of the accepted rows. */
  accepted: ReadonlySet<string>
  onToggle: (row: RecommendationRow) => void
}

/**
 * Per step: the current and suggested model, monthly savings with its interval and evidence
 * label, the predicted quality change with its interval, the sample, and the status. Rows that
 * rest on priors only are marked as such and cannot be accepted.
 */
export function RecommendationTable({ rows, accepted, onToggle }: RecommendationTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table recommendations-table" data-testid="recommendations-table">
        <thead>
          <tr>
            <th scope="col">Accept</th>
            <th scope="col">Where</th>
            <th scope="col">Current model</th>
            <th scope="col">Suggested model</th>
            <th scope="col">Savings per month</th>
            <th scope="col">Quality change</th>
            <th scope="col">Confidence</th>
            <th scope="col" title="Tasks or calls with outcomes, current vs suggested model">
              Sample
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.key}
              data-testid="recommendation-row"
              data-status={row.status}
              data-evidence={row.evidence}
              className={row.isPrior ? 'prior-row' : undefined}
            >
              <td>
                {row.selectable ? (
                  <input
                    type="checkbox"
                    aria-label={`Accept ${row.suggested} for ${row.where}`}
                    checked={accepted.has(row.key)}
                    onChange={() => onToggle(row)}
                  />
                ) : null}
              </td>
              <td className="wrap">{row.where}</td>
              <td>{row.current}</td>
              <td>{row.suggested}</td>
              <td className="wrap" data-testid="recommendation-savings">
                {row.savings}
              </td>
              <td data-testid="recommendation-quality">{row.quality}</td>
              <td>{row.confidence}</td>
              <td className="wrap">{row.sample}</td>
              <td className="wrap" title={row.reason}>
                <span className={`status-badge status-${row.isPrior ? 'prior' : row.status}`}>
                  {row.statusLabel}
                </span>
                {row.reason ? <span className="reason">{row.reason}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
