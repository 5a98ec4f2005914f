import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { CostRow, TimeWindow } from '../api/types'
import { Panel } from '../components/Panel'
import { prepareSpendSeries } from '../prepare/spend-series'
import type { Bucket } from '../prepare/time-buckets'
import { SpendChart } from './SpendChart'

/** What the spend chart loads: the rows and the window and bucket they were asked for. */
export interface SpendData {
  rows: CostRow[]
  window: TimeWindow
  bucket: Bucket
}

/** Props of `SpendChartPanel`. */
export interface SpendChartPanelProps {
  state: ApiState<SpendData>
}

/** Spend over time by task name. */
export function SpendChartPanel({ state }: SpendChartPanelProps) {
  const data = state.status === 'ready' ? state.data : null
  const model = useMemo(
    () =>
      data === null
        ? null
        : prepareSpendSeries(data.rows, { window: data.window, bucket: data.bucket }),
    [data],
  )
  const per = data?.bucket === 'hour' ? 'hour' : 'day'

  return (
    <Panel
      title={`Spend per ${per} by task name`}
      testId="cost-per-task-chart"
      state={state}
      isEmpty={() => model?.isEmpty ?? true}
      emptyText="No priced spend in this range."
      className="wide"
    >
      {() =>
        model !== null && (
          <SpendChart
            model={model}
            label={`Stacked bar chart of spend in USD per ${per} (UTC), one colour per task name`}
          />
        )
      }
    </Panel>
  )
}
