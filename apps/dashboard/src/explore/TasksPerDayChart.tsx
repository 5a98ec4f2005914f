import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip } from 'recharts'
import { XAxis, YAxis } from 'recharts'
import type { DayBar } from '../prepare/overview'
import { TASK_OUTCOME_SERIES } from '../prepare/palette'

/** Props of `TasksPerDayChart`. */
export interface TasksPerDayChartProps {
  days: DayBar[]
  /** A click on a day's bar: drill down to that day's tasks. */
  onDay: (day: string) => void
}

/**
 * Tasks per UTC day, successful ones apart. The bars are a pointer shortcut: the table beside
 * the chart has the same days as links, for the keyboard and screen readers.
 */
export function TasksPerDayChart({ days, onDay }: TasksPerDayChartProps) {
  const data = days.map((day) => ({ ...day, otherTasks: day.tasks - day.successfulTasks }))
  const click = (entry: unknown) => {
    const day = (entry as { payload?: { day?: string } }).payload?.day
    if (day) onDay(day)
  }
  return (
    <figure
      className="chart"
      aria-label="Bar chart of tasks per UTC day, successful and failed or without outcome; click a day for its tasks"
      data-testid="tasks-per-day-chart"
    >
      <ResponsiveContainer width="100%" height={240}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
          title="Tasks per UTC day"
          desc="Successful tasks and the others (failed or without outcome) per day; the arrow keys step through the days."
        >
          <CartesianGrid vertical={false} />
          <XAxis dataKey="label" tickLine={false} minTickGap={12} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip labelFormatter={(_label, payload) => payload[0]?.payload?.title ?? ''} />
          {/* Stack order, bottom first, not alphabetical. */}
          <Legend itemSorter={null} />
          {TASK_OUTCOME_SERIES.map((series) => (
            <Bar
              key={series.dataKey}
              dataKey={series.dataKey}
              name={series.name}
              stackId="tasks"
              fill={series.color}
              isAnimationActive={false}
              cursor="pointer"
              onClick={click}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  )
}
