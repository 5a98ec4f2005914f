import { useMemo } from 'react'
import { fetchCosts, fetchTasks } from '../api/endpoints'
import { fetchUnpriced } from '../api/pricing'
import { useApi } from '../api/use-api'
import { CostDistributionPanel } from '../costs/CostDistributionPanel'
import { FiltersBar } from '../costs/FiltersBar'
import { SpendChartPanel } from '../costs/SpendChartPanel'
import type { SpendData } from '../costs/SpendChartPanel'
import { SummaryPanel } from '../costs/SummaryPanel'
import { TaskListPanel } from '../costs/TaskListPanel'
import { UnpricedPanel } from '../costs/UnpricedPanel'
import {
  bucketForRange,
  filtersToSearch,
  parseFilters,
  resolveTimeWindow,
} from '../prepare/filters'
import type { CostFilters } from '../prepare/filters'
import { prepareTaskNameOptions } from '../prepare/task-names'
import { navigate } from '../routing/navigation'

/** Props of `CostPerTaskPage`. */
export interface CostPerTaskPageProps {
  /** The URL's query string, which holds the filters. */
  search: string
}

/** How many tasks the list asks for; the API allows up to 1000. */
const TASK_LIMIT = 100

/**
 * The home page: spend over time, the distribution of cost per task, totals and the task list,
 * all for the filters in the query string. Each request computes its window when it starts, so
 * "last hour" means the hour before the request.
 */
export function CostPerTaskPage({ search }: CostPerTaskPageProps) {
  const filters = useMemo(() => parseFilters(search), [search])
  const filterKey = filtersToSearch(filters)
  const name = filters.name ?? undefined

  // Names of the whole range: they fill the select, and the distribution and the summary
  // narrow them to the selected name themselves.
  const byName = useApi(`costs:task_name:${filters.range}`, (signal) =>
    fetchCosts({ ...resolveTimeWindow(filters.range, Date.now()), groupBy: 'task_name' }, signal),
  )
  const spend = useApi(`costs:spend:${filterKey}`, async (signal): Promise<SpendData> => {
    const window = resolveTimeWindow(filters.range, Date.now())
    const bucket = bucketForRange(filters.range)
    const rows = await fetchCosts({ ...window, groupBy: bucket, split: 'task_name', name }, signal)
    return { rows, window, bucket }
  })
  const tasks = useApi(`tasks:${filterKey}`, (signal) =>
    fetchTasks(
      { ...resolveTimeWindow(filters.range, Date.now()), name, limit: TASK_LIMIT },
      signal,
    ),
  )
  const unpriced = useApi(`unpriced:${filters.range}`, (signal) =>
    fetchUnpriced(resolveTimeWindow(filters.range, Date.now()), signal),
  )

  const nameRows = byName.status === 'ready' ? byName.data : null
  const names = useMemo(
    () => (nameRows === null ? null : prepareTaskNameOptions(nameRows, filters.name)),
    [nameRows, filters.name],
  )
  const changeFilters = (next: CostFilters) =>
    navigate(`/${filtersToSearch(next)}`, { replace: true })

  return (
    <div className="page">
      <title>Cost per task · agentmeter</title>
      <div className="page-header">
        <h1>Cost per task</h1>
        <FiltersBar filters={filters} names={names} onChange={changeFilters} />
      </div>
      <div className="grid">
        <SummaryPanel costs={byName} tasks={tasks} taskLimit={TASK_LIMIT} name={filters.name} />
        <SpendChartPanel state={spend} />
        <CostDistributionPanel state={byName} name={filters.name} />
        <TaskListPanel state={tasks} limit={TASK_LIMIT} />
        <UnpricedPanel state={unpriced} />
      </div>
    </div>
  )
}
