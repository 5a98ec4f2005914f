import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip } from 'recharts'
import { XAxis, YAxis } from 'recharts'
import { formatUsd } from '../prepare/format-money'
import { PERCENTILE_COLORS } from '../prepare/palette'
import { NO_VALUE } from '../prepare/placeholders'
import type { WhatIfModel } from '../prepare/what-if'

/** Props of `WhatIfChart`. */
export interface WhatIfChartProps {
  model: WhatIfModel
}

const TOOLTIP_STYLE = { background: 'var(--surface)', borderColor: 'var(--border)' }

/** Current and projected cost per task, side by side, one row per task name. */
export function WhatIfChart({ model }: WhatIfChartProps) {
  return (
    <figure
      className="chart"
      aria-label="Bar chart of the current and projected cost per task, per task name"
    >
      <ResponsiveContainer width="100%" height={model.chartHeight}>
        <BarChart
          data={model.chart}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid horizontal={false} />
          <XAxis type="number" tickFormatter={formatUsd} />
          <YAxis type="category" dataKey="name" width={140} tickLine={false} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={(value) => (typeof value === 'number' ? formatUsd(value) : NO_VALUE)}
          />
          <Legend itemSorter={null} />
          <Bar
            dataKey="current"
            name="current"
            fill={PERCENTILE_COLORS.p95}
            isAnimationActive={false}
          />
          <Bar
            dataKey="projected"
            name="projected"
            fill={PERCENTILE_COLORS.p50}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
