import { useMemo } from 'react'
import { fetchCosts, fetchTaskPage } from '../api/endpoints'
import { fetchUnpriced } from '../api/pricing'
import type { TaskSummary } from '../api/types'
import { useApi, type ApiState } from '../api/use-api'
import { useTaskPages, type FirstTaskPage } from '../api/use-task-pages'
import { CostDistributionPanel } from '../costs/CostDistributionPanel'
import { SpendChartPanel } from '../costs/SpendChartPanel'
import type { SpendData } from '../costs/SpendChartPanel'
import { SummaryPanel } from '../costs/SummaryPanel'
import { TaskListPanel } from '../costs/TaskListPanel'
import { UnpricedPanel } from '../costs/UnpricedPanel'
import { ExploreBar } from '../explore/ExploreBar'
import {
  exploreApiParams,
  exploreBucket,
  exploreToSearch,
  exploreWindow,
  parseExploreFilters,
} from '../prepare/explore-filters'
import { prepareTaskNameOptions } from '../prepare/task-names'

/** Props of `CostPerTaskPage`. */
export interface CostPerTaskPageProps {
  /** The URL's query string, which holds the filters. */
  search: string
}

/** How many tasks a page of the list holds; the API allows up to 1000. */
const TASK_LIMIT = 100

/**
 * The home page: spend over time, the distribution of cost per task, totals and the task list,
 * all for the filters in the query string. Each request computes its window when it starts, so
 * "last hour" means the hour before the request.
 */
export function CostPerTaskPage({ search }: CostPerTaskPageProps) {
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const filterKey = exploreToSearch(filters)
  // The span filters without the task name: the names of the whole filtered range fill the
  // suggestions, and the distribution and the summary narrow them to the selected name.
  const spanFilterKey = exploreToSearch({ ...filters, name: null })
  const paramsNow = () => exploreApiParams(filters, Date.now())

  const byName = useApi(`costs:task_name:${spanFilterKey}`, (signal) =>
    fetchCosts({ ...paramsNow(), name: undefined, groupBy: 'task_name' }, signal),
  )
  const spend = useApi(`costs:spend:${filterKey}`, async (signal): Promise<SpendData> => {
    const now = Date.now()
    const window = exploreWindow(filters, now)
    const bucket = exploreBucket(window)
    const params = exploreApiParams(filters, now)
    const rows = await fetchCosts(
      { ...params, ...window, groupBy: bucket, split: 'task_name' },
      signal,
    )
    return { rows, window, bucket }
  })
  const tasks = useApi(`tasks:${filterKey}`, async (signal): Promise<FirstTaskPage> => {
    const query = { ...paramsNow(), limit: TASK_LIMIT }
    return { query, page: await fetchTaskPage(query, undefined, signal) }
  })
  const taskPages = useTaskPages(tasks)
  // The summary counts failures in the first page only, as a floor when it is full.
  const firstTasks = useMemo(
    (): ApiState<TaskSummary[]> =>
      tasks.status === 'ready' ? { status: 'ready', data: tasks.data.page.tasks } : tasks,
    [tasks],
  )
  const unpriced = useApi(`unpriced:${filters.range}:${filters.from}:${filters.to}`, (signal) =>
    fetchUnpriced(exploreWindow(filters, Date.now()), signal),
  )

  const nameRows = byName.status === 'ready' ? byName.data : null
  const names = useMemo(
    () =>
      nameRows === null
        ? null
        : prepareTaskNameOptions(nameRows, filters.name).map((option) => option.value),
    [nameRows, filters.name],
  )

  return (
    <div className="page">
      <title>Cost per task · agentmeter</title>
      <div className="page-header">
        <h1>Cost per task</h1>
        <ExploreBar path="/" filters={filters} names={names} />
      </div>
      <div className="grid">
        <SummaryPanel
          costs={byName}
          tasks={firstTasks}
          taskLimit={TASK_LIMIT}
          name={filters.name}
        />
        <SpendChartPanel state={spend} />
        <CostDistributionPanel state={byName} name={filters.name} />
        <TaskListPanel state={tasks} pages={taskPages} />
        <UnpricedPanel state={unpriced} />
      </div>
    </div>
  )
}
