// Okabe-Ito colours (plus a purple and a teal), chosen to stay apart for colour-blind readers and
// to read on both the light and the dark background; yellow and black are left out for that.
const SERIES_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#8e6bbf',
  '#2a9d8f',
] as const

/** Colour of the merged "other" series: neutral, so it does not compete with named ones. */
export const OTHER_SERIES_COLOR = '#8c8c8c'

/**
 * The two parts of each day's bar of tasks: green for the successful ones, blue (not red:
 * the rest includes tasks that reported no outcome) for the others.
 */
export const TASK_OUTCOME_SERIES = [
  { dataKey: 'successfulTasks', name: 'Successful', color: '#009e73' },
  { dataKey: 'otherTasks', name: 'Failed or no outcome', color: '#0072b2' },
] as const

/** Colours of the p50 and p95 bars of the cost distribution. */
export const PERCENTILE_COLORS = { p50: '#56b4e9', p95: '#0072b2' } as const

/** How many named series a chart shows before it merges the rest into "other". */
export const SERIES_COLOR_COUNT = SERIES_COLORS.length

/** The colour of the series ranked `rank` (0 for the largest); wraps past the palette. */
export function seriesColor(rank: number): string {
  return SERIES_COLORS[rank % SERIES_COLORS.length] ?? OTHER_SERIES_COLOR
}
