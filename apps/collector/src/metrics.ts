/**
 * The collector's counters, exposed at `/metrics` in the Prometheus text format. Kept by hand
 * (a handful of series) rather than through a metrics library, so the ingest path pays one
 * integer add per event.
 */
export class Metrics {
  private counters = new Map<string, { help: string; values: Map<string, number> }>()
  private gauges = new Map<string, { help: string; read: () => number }>()

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

  render(): string {
    const lines: string[] = []
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`)
      for (const [labels, value] of counter.values) lines.push(`${name}${labels} ${value}`)
    }
    for (const [name, gauge] of this.gauges) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.read()}`)
    }
    return lines.join('\n') + '\n'
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  const body = entries.map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`).join(',')
  return `{${body}}`
}
