import type { SpendTooltip as SpendTooltipModel } from '../prepare/spend-series'

/** Props of `SpendTooltip`. */
export interface SpendTooltipProps {
  tooltip: SpendTooltipModel | undefined
}

/** The tooltip of one bar of the spend chart: spend, tasks and p50 / p95 per task name. */
export function SpendTooltip({ tooltip }: SpendTooltipProps) {
  if (tooltip === undefined) return null
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-title">
        {tooltip.title}: <strong>{tooltip.total}</strong>
      </p>
      {tooltip.lines.length === 0 ? (
        <p>No tasks</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Task name</th>
              <th scope="col">Spend</th>
              <th scope="col">Tasks</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
            </tr>
          </thead>
          <tbody>
            {tooltip.lines.map((line) => (
              <tr key={line.dataKey}>
                <th scope="row">
                  <span className="swatch" style={{ background: line.color }} aria-hidden />
                  {line.name}
                </th>
                <td>{line.spend}</td>
                <td>{line.tasks}</td>
                <td>{line.p50}</td>
                <td>{line.p95}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
