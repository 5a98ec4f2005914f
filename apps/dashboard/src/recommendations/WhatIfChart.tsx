import { TaskNameBarChart } from '../components/TaskNameBarChart'
import { PERCENTILE_COLORS } from '../prepare/palette'
import type { WhatIfModel } from '../prepare/what-if'

/** Props of `WhatIfChart`. */
export interface WhatIfChartProps {
  model: WhatIfModel
}

// The darker blue for what is spent now, the lighter one for the projection.
const BARS = [
  { dataKey: 'current', name: 'current', color: PERCENTILE_COLORS.p95 },
  { dataKey: 'projected', name: 'projected', color: PERCENTILE_COLORS.p50 },
]

/** Current and projected cost per task, side by side, one row per task name. */
export function WhatIfChart({ model }: WhatIfChartProps) {
  return (
    <TaskNameBarChart
      rows={model.chart}
      bars={BARS}
      height={model.chartHeight}
      label="Bar chart of the current and projected cost per task, per task name"
      title="Current and projected cost per task, per task name"
    />
  )
}
