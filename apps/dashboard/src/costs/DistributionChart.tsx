import { TaskNameBarChart } from '../components/TaskNameBarChart'
import type { CostDistributionModel } from '../prepare/cost-distribution'
import { PERCENTILE_COLORS } from '../prepare/palette'

/** Props of `DistributionChart`. */
export interface DistributionChartProps {
  model: CostDistributionModel
}

const BARS = [
  { dataKey: 'p50', name: 'p50', color: PERCENTILE_COLORS.p50 },
  { dataKey: 'p95', name: 'p95', color: PERCENTILE_COLORS.p95 },
]

/** p50 and p95 cost per task, side by side, one row per task name. */
export function DistributionChart({ model }: DistributionChartProps) {
  return (
    <TaskNameBarChart
      rows={model.bars}
      bars={BARS}
      height={model.chartHeight}
      label="Bar chart of the median (p50) and 95th percentile (p95) cost per task, per task name"
      title="p50 and p95 cost per task, per task name"
    />
  )
}
