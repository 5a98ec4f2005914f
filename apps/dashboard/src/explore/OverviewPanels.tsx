import type { ReactNode } from 'react'
import type { TopRecommendation } from '../api/explore'
import type { HotspotReport } from '../api/hotspots'
import type { ApiState } from '../api/use-api'
import { CsvButton } from '../components/CsvButton'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { exploreToSearch, hotspotsHref, type ExploreFilters } from '../prepare/explore-filters'
import { formatUsd } from '../prepare/format'
import { prepareHotspotRows } from '../prepare/hotspots'
import type { OverviewModel } from '../prepare/overview'

/** The cost-per-task page with these filters: where every drill-down lands. */
export function tasksHref(filters: ExploreFilters): string {
  return `/${exploreToSearch(filters)}`
}

/** Props of the top-list tables. */
export interface TopTableProps {
  title: string
  testId: string
  header: string[]
  rows: Array<{ id: string; cells: ReactNode[]; csv: Array<string | number> }>
}

/** A small ranked table with its CSV export. */
export function TopTable({ title, testId, header, rows }: TopTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={testId}>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            {header.map((cell, index) => (
              <th key={cell} scope="col" className={index > 0 ? 'num' : undefined}>
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid={`${testId}-row`}>
              {row.cells.map((cell, index) =>
                index === 0 ? (
                  <th key={index} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={index} className="num">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="table-actions">
        <CsvButton table={title} header={header} rows={rows.map((row) => row.csv)} />
      </div>
    </div>
  )
}

/** The headline figures. */
export function StatCards({ model }: { model: OverviewModel }) {
  return (
    <dl className="stat-cards">
      {model.cards.map((card) => (
        <div className="stat-card" key={card.id} data-testid={`stat-${card.id}`}>
          <dt>{card.label}</dt>
          <dd>
            <span data-testid="stat-value">{card.value}</span>
            {card.unpriced !== null && (
              <span className="stat-unpriced" data-testid="stat-unpriced">
                {card.unpriced}
              </span>
            )}
            {card.detail !== '' && <span className="stat-detail">{card.detail}</span>}
          </dd>
        </div>
      ))}
    </dl>
  )
}

/** The biggest redundancy hotspot of the range and filters, with its dollars. */
export function BiggestHotspotPanel({
  state,
  filters,
}: {
  state: ApiState<HotspotReport>
  /** The Overview's filters and range, which the "All hotspots" link keeps. */
  filters: ExploreFilters
}) {
  return (
    <Panel
      title="Biggest hotspot"
      testId="biggest-hotspot"
      state={state}
      isEmpty={(report) => report.hotspots.length === 0}
      emptyText="No repeated work found in this range."
    >
      {(report) => {
        const top = prepareHotspotRows(report.hotspots)[0]
        if (top === undefined) return <p>Only repeats with no priced spend in this range.</p>
        return (
          <p>
            <strong data-testid="biggest-hotspot-usd">{formatUsd(top.wastedUsd)}</strong> wasted on{' '}
            {top.cause.toLowerCase()} in {top.where}. {top.fix}{' '}
            <Link href={hotspotsHref(filters)}>All hotspots</Link>
          </p>
        )
      }}
    </Panel>
  )
}

/** The biggest issued recommendation, with its evidence label. */
export function BiggestRecommendationPanel({
  state,
}: {
  state: ApiState<TopRecommendation | null>
}) {
  return (
    <Panel
      title="Biggest recommendation"
      testId="biggest-recommendation"
      state={state}
      isEmpty={(data) => data === null}
      emptyText="No recommendation for this range."
    >
      {(top) =>
        top !== null && (
          <p>
            Move {top.taskName}
            {top.step ? ` / ${top.step}` : ''} from {top.currentModel} to {top.suggestedModel}: save{' '}
            <strong data-testid="biggest-recommendation-usd">
              {formatUsd(top.monthlySavingsUsd)}
            </strong>{' '}
            a month{' '}
            <span data-testid="biggest-recommendation-evidence">({top.evidence} evidence)</span>.
          </p>
        )
      }
    </Panel>
  )
}
