/** A counter: its name, help text, and every value each of its labels takes. */
export interface CounterSpec {
  name: string
  help: string
  /** Label name to the values it takes; the series are their combinations. */
  labels?: Readonly<Record<string, readonly string[]>>
}

/** A histogram: its name, help text and bucket upper bounds. */
export interface HistogramSpec {
  name: string
  help: string
  buckets: readonly number[]
}

/**
 * The collector's metrics, exposed at `/metrics` in the Prometheus text format (0.0.4). Kept by
 * hand (a handful of series) rather than through a metrics library, so the ingest path pays one
 * integer add per event.
 *
 * Three kinds: counters (`inc`), gauges read when scraped (`gauge`: register a function once;
 * the insert queue, the alert lease, and any other component's depth or state go there), and
 * histograms (`observe`) with fixed buckets, for latencies. Counters and histograms are described
 * by specs (`metric-catalog.ts` lists them all), declared up front so that every known series
 * is shown at 0 before it counts anything.
 */
export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>()
  private gauges = new Map<string, { help: string; read: () => number }>()
  private histograms = new Map<string, Histogram>()

  /** Shows every series of the counter (each combination of its label values), at 0 if new. */
  declareCounter(spec: CounterSpec): void {
    const counter = this.counter(spec)
    for (const labels of combinations(spec.labels ?? {})) {
      const key = formatLabels(labels)
      if (!counter.values.has(key)) counter.values.set(key, 0)
    }
  }

  /** Shows the histogram before its first observation, every bucket at 0. */
  declareHistogram(spec: HistogramSpec): void {
    this.histogram(spec)
  }

  inc(spec: CounterSpec, labels: Record<string, string> = {}, by = 1): void {
    const counter = this.counter(spec)
    const key = formatLabels(labels)
    counter.values.set(key, (counter.values.get(key) ?? 0) + by)
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read })
  }

  /** Records one observation (e.g. seconds) in a histogram. */
  observe(spec: HistogramSpec, value: number): void {
    const histogram = this.histogram(spec)
    histogram.buckets.forEach((bound, index) => {
      if (value <= bound) histogram.counts[index]! += 1
    })
    histogram.sum += value
    histogram.count += 1
  }

  render(): string {
    const lines: string[] = []
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`)
      for (const [labels, value] of counter.values) lines.push(`${name}${labels} ${value}`)
    }
    for (const [name, gauge] of this.gauges) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.read()}`)
    }
    for (const [name, histogram] of this.histograms) {
      lines.push(`# HELP ${name} ${histogram.help}`, `# TYPE ${name} histogram`)
      histogram.buckets.forEach((bound, index) => {
        lines.push(`${name}_bucket{le="${bound}"} ${histogram.counts[index]}`)
      })
      lines.push(
        `${name}_bucket{le="+Inf"} ${histogram.count}`,
        `${name}_sum ${histogram.sum}`,
        `${name}_count ${histogram.count}`,
      )
    }
    return lines.join('\n') + '\n'
  }

  private counter(spec: CounterSpec) {
    let counter = this.counters.get(spec.name)
    if (!counter) {
      counter = { help: spec.help, values: new Map() }
      this.counters.set(spec.name, counter)
    }
    return counter
  }

  private histogram(spec: HistogramSpec): Histogram {
    let histogram = this.histograms.get(spec.name)
    if (!histogram) {
      histogram = {
        help: spec.help,
        buckets: [...spec.buckets],
        counts: spec.buckets.map(() => 0),
        sum: 0,
        count: 0,
      }
      this.histograms.set(spec.name, histogram)
    }
    return histogram
  }
}

/** Every combination of the label values, one record per series, in the order given. */
function combinations(
  labels: Readonly<Record<string, readonly string[]>>,
): Array<Record<string, string>> {
  let series: Array<Record<string, string>> = [{}]
  for (const [name, values] of Object.entries(labels)) {
    series = series.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })))
  }
  return series
}

interface Histogram {
  help: string
  buckets: number[]
  /** Cumulative: observations at or below each bound. */
  counts: number[]
  sum: number
  count: number
}

/** Seconds, from a fast local insert to a slow remote one. */
export const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  const body = entries.map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`).join(',')
  return `{${body}}`
}
