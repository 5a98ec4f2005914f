import { useMemo } from 'react'
import { fetchOverview, fetchTopRecommendation, type Overview } from '../api/explore'
import { fetchHotspots } from '../api/hotspots'
import type { TimeWindow } from '../api/types'
import { useApi } from '../api/use-api'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { ExploreBar } from '../explore/ExploreBar'
import {
  BiggestHotspotPanel,
  BiggestRecommendationPanel,
  StatCards,
  TopTable,
  tasksHref,
} from '../explore/OverviewPanels'
import { TasksPerDayChart } from '../explore/TasksPerDayChart'
import {
  drillToDay,
  exploreApiParams,
  exploreToSearch,
  exploreWindow,
  parseExploreFilters,
} from '../prepare/explore-filters'
import { prepareOverview } from '../prepare/overview'
import { taskCostText } from '../prepare/task-fields'
import { navigate } from '../routing/navigation'

/** Props of `OverviewPage`. */
export interface OverviewPageProps {
  search: string
}

export const OVERVIEW_PATH = '/overview'

/**
 * What finance and engineering open first: spend today, month to date and the month's forecast
 * (with its method), cost per task and per successful task, tasks per day, the top task types
 * and models, the unpriced share, and the biggest hotspot and recommendation. Every figure is
 * for the Explore filters in the URL; every row and bar drills down to its tasks.
 */
export function OverviewPage({ search }: OverviewPageProps) {
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const key = exploreToSearch(filters)
  const overview = useApi(`overview:${key}`, async (signal) => {
    const now = Date.now()
    const window: TimeWindow = exploreWindow(filters, now)
    const data: Overview = await fetchOverview(exploreApiParams(filters, now), signal)
    return { data, window }
  })
  const hotspots = useApi(`overview-hotspots:${key}`, (signal) =>
    fetchHotspots(exploreApiParams(filters, Date.now()), signal),
  )
  const recommendation = useApi(`overview-recommendation:${key}`, (signal) =>
    fetchTopRecommendation(exploreWindow(filters, Date.now()), signal),
  )
  const ready = overview.status === 'ready' ? overview.data : null
  const model = useMemo(() => (ready ? prepareOverview(ready.data, ready.window) : null), [ready])
  const names = ready ? ready.data.topTaskTypes.map((row) => row.name) : null

  return (
    <div className="page">
      <title>Overview · agentmeter</title>
      <div className="page-header">
        <h1>Overview</h1>
        <ExploreBar path={OVERVIEW_PATH} filters={filters} names={names} />
      </div>
      <div className="grid">
        <Panel title="Spend and forecast" testId="overview-stats" state={overview} className="wide">
          {() => model !== null && <StatCards model={model} />}
        </Panel>
        <Panel
          title="Tasks per day"
          testId="tasks-per-day"
          state={overview}
          isEmpty={(data) => data.data.tasks === 0}
          emptyText="No tasks in this range."
          className="wide"
        >
          {() =>
            model !== null && (
              <>
                <TasksPerDayChart
                  days={model.days}
                  onDay={(day) => navigate(tasksHref(drillToDay(filters, day)))}
                />
                <TopTable
                  title="Tasks per day"
                  testId="days-table"
                  header={['Day (UTC)', 'Tasks', 'Successful', 'Spend (USD)']}
                  rows={model.days
                    .filter((day) => day.tasks > 0)
                    .map((day) => ({
                      id: day.day,
                      cells: [
                        <Link href={tasksHref(drillToDay(filters, day.day))}>{day.day}</Link>,
                        day.tasks,
                        day.successfulTasks,
                        taskCostText(day.costUsd, day.unpricedCalls),
                      ],
                      csv: [
                        day.day,
                        day.tasks,
                        day.successfulTasks,
                        day.costUsd ?? taskCostText(null, day.unpricedCalls),
                      ],
                    }))}
                />
              </>
            )
          }
        </Panel>
        <Panel
          title="Top task types"
          testId="top-task-types"
          state={overview}
          isEmpty={(data) => data.data.topTaskTypes.length === 0}
          emptyText="No tasks in this range."
        >
          {() =>
            model !== null && (
              <TopTable
                title="Top task types"
                testId="task-types-table"
                header={['Task type', 'Tasks', 'Spend']}
                rows={model.topTaskTypes.map((row) => ({
                  id: row.name,
                  cells: [
                    <Link href={tasksHref({ ...filters, name: row.name })}>{row.label}</Link>,
                    row.tasks,
                    <span data-testid="row-cost">{row.cost}</span>,
                  ],
                  csv: [row.label, row.tasks, row.cost],
                }))}
              />
            )
          }
        </Panel>
        <Panel
          title="Top models"
          testId="top-models"
          state={overview}
          isEmpty={(data) => data.data.topModels.length === 0}
          emptyText="No model calls in this range."
        >
          {() =>
            model !== null && (
              <TopTable
                title="Top models"
                testId="models-table"
                header={['Model', 'Provider', 'Calls', 'Spend']}
                rows={model.topModels.map((row) => ({
                  id: `${row.provider}/${row.model}`,
                  cells: [
                    <Link href={tasksHref({ ...filters, model: row.model })}>{row.model}</Link>,
                    row.provider,
                    row.calls,
                    <span data-testid="row-cost">{row.cost}</span>,
                  ],
                  csv: [row.model, row.provider, row.calls, row.cost],
                }))}
              />
            )
          }
        </Panel>
        <BiggestHotspotPanel state={hotspots} filters={filters} />
        <BiggestRecommendationPanel state={recommendation} />
      </div>
    </div>
  )
}
