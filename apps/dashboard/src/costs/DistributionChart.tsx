import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip } from 'recharts'
import { XAxis, YAxis } from 'recharts'
import type { CostDistributionModel } from '../prepare/cost-distribution'
import { formatUsd } from '../prepare/format-money'
import { PERCENTILE_COLORS } from '../prepare/palette'
import { NO_VALUE } from '../prepare/placeholders'

/** Props of `DistributionChart`. */
export interface DistributionChartProps {
  model: CostDistributionModel
}

const TOOLTIP_STYLE = { background: 'var(--surface)', borderColor: 'var(--border)' }

/** p50 and p95 cost per task, side by side, one row per task name. */
export function DistributionChart({ model }: DistributionChartProps) {
  return (
    <figure
      className="chart"
      aria-label="Bar chart of the median (p50) and 95th percentile (p95) cost per task, per task name"
    >
      <ResponsiveContainer width="100%" height={model.chartHeight}>
        <BarChart
          data={model.bars}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
          title="p50 and p95 cost per task, per task name"
          desc="The arrow keys step through the task names."
        >
          <CartesianGrid horizontal={false} />
          <XAxis type="number" tickFormatter={formatUsd} />
          <YAxis type="category" dataKey="name" width={140} tickLine={false} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={(value) => (typeof value === 'number' ? formatUsd(value) : NO_VALUE)}
          />
          <Legend itemSorter={null} />
          <Bar dataKey="p50" name="p50" fill={PERCENTILE_COLORS.p50} isAnimationActive={false} />
          <Bar dataKey="p95" name="p95" fill={PERCENTILE_COLORS.p95} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
