import type { RecommendationRow } from '../prepare/recommendations'

/** Props of `RecommendationTable`. */
export interface RecommendationTableProps {
  rows: RecommendationRow[]
  /** Keys (`switchKey`) of the accepted rows. */
  accepted: ReadonlySet<string>
  onToggle: (row: RecommendationRow) => void
}

/**
 * Per step: the switch (current model, then the suggested one), monthly savings with its
 * interval and evidence label, the predicted quality change with its interval, the sample, and
 * the status with its reason. Rows that rest on priors only are marked as such and cannot be
 * accepted. Every group's table has the same fixed columns, so they line up on the page.
 */
export function RecommendationTable({ rows, accepted, onToggle }: RecommendationTableProps) {
  return (
    <div className="table-scroll">
      <table
        className="data-table recommendations-table stack-narrow"
        data-testid="recommendations-table"
      >
        <colgroup>
          <col className="col-accept" />
          <col className="col-where" />
          <col className="col-switch" />
          <col className="col-savings" />
          <col className="col-quality" />
          <col className="col-confidence" />
          <col className="col-sample" />
          <col className="col-status" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Accept</th>
            <th scope="col">Where</th>
            <th scope="col">Switch</th>
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
              <td data-label="Accept">
                {row.selectable ? (
                  <input
                    type="checkbox"
                    aria-label={`Accept ${row.suggested} for ${row.where}`}
                    checked={accepted.has(row.key)}
                    onChange={() => onToggle(row)}
                  />
                ) : null}
              </td>
              <td data-label="Where">{row.where}</td>
              <td data-label="Switch">
                <span className="switch-from">{row.current}</span>
                <span className="switch-to">
                  <span aria-hidden>→ </span>
                  <span className="visually-hidden">to </span>
                  {row.suggested}
                </span>
              </td>
              <td data-label="Savings per month" data-testid="recommendation-savings">
                {row.savings}
              </td>
              <td data-label="Quality change" data-testid="recommendation-quality">
                {row.quality}
              </td>
              <td data-label="Confidence">{row.confidence}</td>
              <td data-label="Sample">{row.sample}</td>
              <td data-label="Status">
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
