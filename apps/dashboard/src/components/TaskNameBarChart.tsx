import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip } from 'recharts'
import { XAxis, YAxis } from 'recharts'
import { formatUsd, formatUsdTick } from '../prepare/format'
import { NO_VALUE } from '../prepare/placeholders'

/** One bar of each row: the row's field it reads, its legend name and its colour. */
export interface TaskNameBar {
  dataKey: string
  name: string
  color: string
}

/** Props of `TaskNameBarChart`. */
export interface TaskNameBarChartProps {
  /** One row per task name (`name`), with a USD amount (or null) per bar's `dataKey`. */
  rows: Array<{ name: string }>
  bars: readonly TaskNameBar[]
  height: number
  /** What the chart shows, for screen readers (the figure's label and the chart's title). */
  label: string
  title: string
}

const TOOLTIP_STYLE = { background: 'var(--surface)', borderColor: 'var(--border)' }

/**
 * USD amounts per task name as horizontal bars, side by side in each row (the cost
 * distribution's p50 and p95, the what-if's current and projected cost per task).
 */
export function TaskNameBarChart({ rows, bars, height, label, title }: TaskNameBarChartProps) {
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={rows}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
          title={title}
          desc="The arrow keys step through the task names."
        >
          <CartesianGrid horizontal={false} />
          <XAxis type="number" tickFormatter={formatUsdTick} />
          <YAxis type="category" dataKey="name" width={140} tickLine={false} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            formatter={(value) => (typeof value === 'number' ? formatUsd(value) : NO_VALUE)}
          />
          <Legend itemSorter={null} />
          {bars.map((bar) => (
            <Bar
              key={bar.dataKey}
              dataKey={bar.dataKey}
              name={bar.name}
              fill={bar.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
