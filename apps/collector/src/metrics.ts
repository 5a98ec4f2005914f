/**
 * The collector's metrics, exposed at `/metrics` in the Prometheus text format (0.0.4). Kept by
 * hand (a handful of series) rather than through a metrics library, so the ingest path pays one
 * integer add per event.
 *
 * Three kinds: counters (`inc`), gauges read when scraped (`gauge`: register a function once;
 * the insert queue, the alert lease, and any other component's depth or state go there), and
 * histograms (`observe`) with fixed buckets, for latencies.
 */
export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>()
  private gauges = new Map<string, { help: string; read: () => number }>()
  private histograms = new Map<string, Histogram>()

  inc(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    let counter = this.counters.get(name)
    if (!counter) {
      counter = { help, values: new Map() }
      this.counters.set(name, counter)
    }
    const key = formatLabels(labels)
    counter.values.set(key, (counter.values.get(key) ?? 0) + by)
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read })
  }

  /** Records one observation (e.g. seconds) in a histogram with the given upper bounds. */
  observe(name: string, help: string, value: number, buckets: readonly number[]): void {
    let histogram = this.histograms.get(name)
    if (!histogram) {
      histogram = { help, buckets: [...buckets], counts: buckets.map(() => 0), sum: 0, count: 0 }
      this.histograms.set(name, histogram)
    }
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
