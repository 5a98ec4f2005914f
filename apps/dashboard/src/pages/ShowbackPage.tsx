import { useId, useMemo, useState } from 'react'
import {
  SHOWBACK_DIMENSIONS,
  fetchDimensions,
  fetchShowback,
  type DimensionMapping,
  type ShowbackDimension,
} from '../api/explore'
import { useApi } from '../api/use-api'
import { CsvButton } from '../components/CsvButton'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { DimensionSettings } from '../explore/DimensionSettings'
import { ExploreBar } from '../explore/ExploreBar'
import { tasksHref } from '../explore/OverviewPanels'
import {
  exploreApiParams,
  exploreToSearch,
  parseExploreFilters,
  type ExploreFilters,
} from '../prepare/explore-filters'
import { prepareShowback, type ShowbackTableRow } from '../prepare/showback'
import { navigate } from '../routing/navigation'

export const SHOWBACK_PATH = '/showback'

/** Props of `ShowbackPage`. */
export interface ShowbackPageProps {
  search: string
}

function readView(search: string): { by: ShowbackDimension; monthly: boolean } {
  const query = new URLSearchParams(search)
  const by = SHOWBACK_DIMENSIONS.find((item) => item.value === query.get('by'))?.value ?? 'team'
  return { by, monthly: query.get('report') === 'month' }
}

function viewParams(view: { by: ShowbackDimension; monthly: boolean }): Record<string, string> {
  return { by: view.by, ...(view.monthly ? { report: 'month' } : {}) }
}

/** The tasks behind one showback value, or null for spend without the attribute. */
function drillHref(
  filters: ExploreFilters,
  by: ShowbackDimension,
  row: ShowbackTableRow,
  attributeKey: string | null,
): string | null {
  if (row.key === '') return null
  if (by === 'environment') return tasksHref({ ...filters, environment: row.key })
  if (by === 'service') return tasksHref({ ...filters, service: row.key })
  return attributeKey ? tasksHref({ ...filters, tag: `${attributeKey}=${row.key}` }) : null
}

/**
 * Spend by team, customer, feature, environment or service for finance: the Explore filters,
 * one dimension at a time (or per month: the monthly report of the range), each table with its
 * CSV export, and the attribute mapping that team, customer and feature are read from.
 */
export function ShowbackPage({ search }: ShowbackPageProps) {
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const view = useMemo(() => readView(search), [search])
  const dimensionId = useId()
  const [saved, setSaved] = useState(0)
  const label = SHOWBACK_DIMENSIONS.find((item) => item.value === view.by)!.label
  const key = `${exploreToSearch(filters)}|${view.by}|${view.monthly}|${saved}`
  const showback = useApi(`showback:${key}`, (signal) =>
    fetchShowback(
      {
        ...exploreApiParams(filters, Date.now()),
        groupBy: view.by,
        split: view.monthly ? 'month' : undefined,
      },
      signal,
    ),
  )
  // Loaded once: after a save the form keeps what was typed, and only the table reloads.
  const mappings = useApi('dimensions', (signal) => fetchDimensions(signal))
  const data = showback.status === 'ready' ? showback.data : null
  const model = useMemo(() => (data ? prepareShowback(data, label) : null), [data, label])
  const setView = (next: { by: ShowbackDimension; monthly: boolean }) => {
    const query = new URLSearchParams(exploreToSearch(filters))
    for (const [name, value] of Object.entries(viewParams(next))) query.set(name, value)
    navigate(`${SHOWBACK_PATH}?${query.toString()}`, { replace: true })
  }
  const title = view.monthly
    ? `Monthly report by ${label.toLowerCase()}`
    : `Spend by ${label.toLowerCase()}`

  return (
    <div className="page">
      <title>Showback · agentmeter</title>
      <div className="page-header">
        <h1>Showback</h1>
        <ExploreBar path={SHOWBACK_PATH} filters={filters} keep={viewParams(view)} />
      </div>
      <div className="page-toolbar">
        <div className="field">
          <label htmlFor={dimensionId}>Group by</label>
          <select
            id={dimensionId}
            value={view.by}
            onChange={(event) => setView({ ...view, by: event.target.value as ShowbackDimension })}
          >
            {SHOWBACK_DIMENSIONS.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={view.monthly}
            onChange={(event) => setView({ ...view, monthly: event.target.checked })}
          />
          Monthly report (one row per month of the range)
        </label>
      </div>
      <div className="grid">
        <Panel
          title={title}
          testId="showback"
          state={showback}
          isEmpty={(report) => report.rows.length === 0}
          emptyText="No spend in this range."
          className="wide"
          actions={
            model !== null && (
              <CsvButton
                table={title}
                header={model.csvHeader}
                rows={model.rows.map((row) => row.csv)}
              />
            )
          }
        >
          {(report) =>
            model !== null && (
              <>
                {!report.mapped && ['team', 'customer', 'feature'].includes(view.by) && (
                  <p className="footnote" role="note">
                    {label} is not mapped to an attribute yet: all spend shows as (not set). Map it
                    below.
                  </p>
                )}
                <p>
                  Total <strong data-testid="showback-total">{model.total}</strong> over{' '}
                  {report.totalTasks} tasks.
                </p>
                <div className="table-scroll">
                  <table className="data-table">
                    <caption className="visually-hidden">{title}</caption>
                    <thead>
                      <tr>
                        {view.monthly && <th scope="col">Month</th>}
                        <th scope="col">{label}</th>
                        <th scope="col" className="num">
                          Spend
                        </th>
                        <th scope="col" className="num">
                          Tasks
                        </th>
                        <th scope="col" className="num">
                          Share
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {model.rows.map((row) => {
                        const href = drillHref(filters, view.by, row, report.attributeKey)
                        return (
                          <tr key={row.id} data-testid="showback-row" data-key={row.key}>
                            {view.monthly && <td>{row.month}</td>}
                            <th scope="row">
                              {href === null ? row.label : <Link href={href}>{row.label}</Link>}
                            </th>
                            <td className="num">
                              <span data-testid="showback-cost">{row.cost}</span>
                              {row.unpriced !== '' && <span className="badge">{row.unpriced}</span>}
                            </td>
                            <td className="num">{row.tasks}</td>
                            <td className="num">{row.share}</td>
                          </tr>
                        )
                      })}
                    </tbody>
                  </table>
                </div>
              </>
            )
          }
        </Panel>
        <Panel<DimensionMapping[]>
          title="Dimension mapping"
          testId="dimension-mapping"
          state={mappings}
          className="wide"
        >
          {(list) => <DimensionSettings mappings={list} onSaved={() => setSaved((n) => n + 1)} />}
        </Panel>
      </div>
    </div>
  )
}
