import { useMemo } from 'react'
import type { ApiState } from '../api/use-api'
import type { CostRow } from '../api/types'
import { Panel } from '../components/Panel'
import { prepareCostDistribution } from '../prepare/cost-distribution'
import { DistributionChart } from './DistributionChart'
import { DistributionTable } from './DistributionTable'

/** Props of `CostDistributionPanel`. */
export interface CostDistributionPanelProps {
  /** `groupBy=task_name` rows of the whole range. */
  state: ApiState<CostRow[]>
  name: string | null
}

/** Distribution of cost per task: p50 and p95 per task name, not only a sum. */
export function CostDistributionPanel({ state, name }: CostDistributionPanelProps) {
  const rows = state.status === 'ready' ? state.data : null
  const model = useMemo(
    () => (rows === null ? null : prepareCostDistribution(rows, name)),
    [rows, name],
  )

  return (
    <Panel
      title="Cost per task by task name"
      testId="cost-distribution"
      state={state}
      isEmpty={() => model?.isEmpty ?? true}
      emptyText="No tasks in this range."
      className="wide"
    >
      {() =>
        model !== null && (
          <div className="distribution">
            <DistributionChart model={model} />
            <DistributionTable rows={model.rows} />
          </div>
        )
      }
    </Panel>
  )
}
