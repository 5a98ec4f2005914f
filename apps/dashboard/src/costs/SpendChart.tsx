import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip } from 'recharts'
import { XAxis, YAxis } from 'recharts'
import type { TooltipContentProps } from 'recharts'
import { formatUsdTick } from '../prepare/format-money'
import type { SpendChartModel, SpendDatum } from '../prepare/spend-series'
import { SpendTooltip } from './SpendTooltip'

/** Props of `SpendChart`. */
export interface SpendChartProps {
  model: SpendChartModel
  /** Accessible name of the chart, naming what it plots. */
  label: string
}

function tooltipIndex(props: TooltipContentProps): number | undefined {
  const datum = props.payload[0]?.payload as SpendDatum | undefined
  return props.active && datum !== undefined ? datum.index : undefined
}

/** Spend over time, one stacked bar per bucket and one colour per task name. */
export function SpendChart({ model, label }: SpendChartProps) {
  return (
    <figure className="chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart
          data={model.data}
          margin={{ top: 8, right: 8, bottom: 0, left: 8 }}
          title={label}
          desc="One stacked bar per time bucket; the arrow keys step through the buckets."
        >
          <CartesianGrid vertical={false} />
          <XAxis dataKey="label" tickLine={false} minTickGap={12} />
          <YAxis tickFormatter={formatUsdTick} width={80} />
          <Tooltip
            content={(props) => {
              const index = tooltipIndex(props)
              return (
                <SpendTooltip tooltip={index === undefined ? undefined : model.tooltips[index]} />
              )
            }}
          />
          {/* Series order (largest spend first), not alphabetical. */}
          <Legend itemSorter={null} />
          {model.series.map((series) => (
            <Bar
              key={series.dataKey}
              dataKey={series.dataKey}
              name={series.name}
              stackId="spend"
              fill={series.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
